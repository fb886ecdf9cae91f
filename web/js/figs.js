// The figures of the daily report (docs: the shared FIG shape), grouped as
// the report's table groups them; labels are i18n keys "fig.<path>".
export const FIG_GROUPS = [
  ['grp.confirmed', ['confirmed.new', 'confirmed.new_local', 'confirmed.new_imported', 'confirmed.new_from_asymptomatic',
    'confirmed.cumulative', 'confirmed.cumulative_local', 'confirmed.cumulative_imported']],
  ['grp.asymptomatic', ['asymptomatic.new', 'asymptomatic.new_local', 'asymptomatic.new_imported', 'asymptomatic.converted',
    'asymptomatic.released', 'asymptomatic.under_observation', 'asymptomatic.cumulative']],
  ['grp.outcome', ['cured.new', 'cured.cumulative', 'deaths.new', 'deaths.cumulative', 'current', 'cure_rate', 'fatality_rate',
    'suspected.current']],
  ['grp.contacts', ['contacts.close_new', 'contacts.secondary_new', 'contacts.close_cumulative', 'contacts.secondary_cumulative',
    'contacts.central', 'contacts.home', 'contacts.released_new', 'contacts.released_cumulative']],
  ['grp.testing', ['testing.sampled_new', 'testing.tubes_new', 'testing.pools_positive_new', 'testing.round_coverage']],
  ['grp.zones', ['zones.sealed', 'zones.controlled', 'zones.precaution', 'zones.lifted']],
  ['grp.quarantine', ['quarantine.sites', 'quarantine.rooms', 'quarantine.capacity', 'quarantine.occupied', 'quarantine.occupancy']],
];

export const FIGS = FIG_GROUPS.flatMap(([, f]) => f);

// Figures offered in the time-series chart, and those drawn at first.
export const SERIES_DEFAULT = ['confirmed.cumulative', 'asymptomatic.under_observation', 'current', 'contacts.central', 'contacts.home'];
