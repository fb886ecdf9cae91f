/* synth_names.c — Chinese names for the synthetic county: surnames by
 * frequency, given names, towns of Hengnan, village and hamlet names. */
#include <stdio.h>
#include <string.h>

#include "domain/synth_model.h"
#include "lib/banned.h"

/* The hundred most common surnames, roughly most common first; Hunan's
 * 谭, 廖, 欧阳 are moved up. */
static const char *const surnames[SYNTH_SURNAMES] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴",
	"徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
	"谭", "廖", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于",
	"董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾",
	"彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
	"叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田",
	"任", "姜", "范", "方", "石", "姚", "欧阳", "邹", "熊", "金",
	"陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江",
	"史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱",
	"汤", "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚",
};

static const char *const male_chars[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚",
	"平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩",
	"凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "峰",
	"建", "国", "志", "文", "德", "海", "春", "松", "新", "永",
};
static const char *const female_chars[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英",
	"玲", "燕", "红", "梅", "琳", "婷", "雪", "慧", "莉", "萍",
	"兰", "桂", "凤", "洁", "琴", "云", "倩", "颖", "欣", "怡",
	"佳", "悦", "思", "雨", "晓", "春", "月", "丹", "珍", "美",
};

static const char *const place_chars[] = {
	"塘", "冲", "湾", "坪", "岭", "山", "桥", "田", "湖", "江",
	"石", "竹", "松", "茶", "枫", "杉", "柳", "桃", "花", "新",
	"老", "大", "小", "上", "下", "东", "西", "南", "北", "中",
	"龙", "凤", "金", "银", "青", "白", "黄", "红", "长", "高",
	"泉", "溪", "源", "坳", "垅", "洲", "港", "铺", "市", "家",
};

struct town_name {
	const char *name;
	int code;
};

/* Towns of Hengnan by kind, each with the township part of its code. */
static const struct town_name subdistricts[] = {
	{ "云集街道", 1 }, { "车江街道", 2 }, { "川口街道", 3 },
};
static const struct town_name towns[] = {
	{ "茶市镇", 103 }, { "向阳镇", 101 }, { "泉湖镇", 102 },
	{ "柞市镇", 104 }, { "冠市镇", 105 }, { "江口镇", 106 },
	{ "宝盖镇", 107 }, { "花桥镇", 108 }, { "松江镇", 109 },
	{ "近尾洲镇", 110 }, { "栗江镇", 111 }, { "三塘镇", 112 },
	{ "谭子山镇", 113 }, { "鸡笼镇", 114 }, { "咸塘镇", 115 },
	{ "廖田镇", 116 }, { "岐山镇", 117 }, { "洪山镇", 118 },
	{ "硫市镇", 119 }, { "铁丝塘镇", 120 }, { "洪市镇", 121 },
	{ "雨母山镇", 122 },
};
static const struct town_name townships[] = {
	{ "相市乡", 200 }, { "宝盖乡", 201 }, { "栗山乡", 202 },
};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const char *synth_surname(int i)
{
	return surnames[i % SYNTH_SURNAMES];
}

int synth_pick_surname(struct rng *r)
{
	/* A Zipf-like spread: the first names are far more common. */
	double u = rng_unit(r);
	int i = (int)(u * u * u * SYNTH_SURNAMES);
	return i < SYNTH_SURNAMES ? i : SYNTH_SURNAMES - 1;
}

void synth_given_name(struct rng *r, char sex, char *buf, size_t len)
{
	const char *const *set = sex == 'M' ? male_chars : female_chars;
	int n = sex == 'M' ? N(male_chars) : N(female_chars);
	const char *a = set[rng_range(r, 0, n - 1)];
	if (rng_chance(r, 0.3))
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s%s", a, set[rng_range(r, 0, n - 1)]);
}

void synth_town_name(enum unit_kind kind, int i, char *buf, size_t len,
		     int *code)
{
	const struct town_name *list = kind == UK_SUBDISTRICT ? subdistricts
				       : kind == UK_TOWN      ? towns
							      : townships;
	int n = kind == UK_SUBDISTRICT ? N(subdistricts)
		: kind == UK_TOWN      ? N(towns)
				       : N(townships);
	const char *suffix = kind == UK_SUBDISTRICT ? "街道"
			     : kind == UK_TOWN      ? "镇"
						    : "乡";
	if (i < n) {
		snprintf(buf, len, "%s", list[i].name);
		*code = list[i].code;
		return;
	}
	/* Beyond the real list: codes after the highest real one, names
	 * from two place characters chosen by the index. */
	int max = 0;
	for (int j = 0; j < n; j++)
		if (list[j].code > max)
			max = list[j].code;
	*code = max + 1 + (i - n);
	int pc = N(place_chars);
	snprintf(buf, len, "%s%s%s", place_chars[(i * 7) % pc],
		 place_chars[(i * 13 + 5) % pc], suffix);
}

void synth_place_name(struct rng *r, char *buf, size_t len)
{
	int pc = N(place_chars);
	snprintf(buf, len, "%s%s", place_chars[rng_range(r, 0, pc - 1)],
		 place_chars[rng_range(r, 0, pc - 1)]);
}
