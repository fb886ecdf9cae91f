// Apache ECharts (served from web/node_modules, loaded by index.html as
// the global `echarts`). Canvas renderer and plain-text tooltips: the
// dashboard's CSP allows no inline style attributes, which ECharts' HTML
// tooltips would need.
let live = [];

export function chart(el, option) {
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({ animation: false, ...option, tooltip: { renderMode: 'richText', ...(option.tooltip || {}) } });
  live.push(c);
  return c;
}

export function disposeCharts() {
  for (const c of live) c.dispose();
  live = [];
}

export function resizeCharts() {
  for (const c of live) c.resize();
}

export const COLORS = {
  confirmed: '#c62828', asymptomatic: '#ef6c00', close: '#6a1b9a', secondary: '#1565c0',
};

// A zone's level as one of sealed / controlled / precaution (the profiles
// name them high / medium / low or 封控 / 管控 / 防范).
export function zoneClass(level) {
  if (typeof level === 'number') return ['none', 'precaution', 'controlled', 'sealed'][level] || 'none';
  return { sealed: 'sealed', high: 'sealed', controlled: 'controlled', medium: 'controlled',
    precaution: 'precaution', low: 'precaution' }[level] || 'none';
}
