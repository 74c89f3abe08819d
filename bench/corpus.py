"""Deterministic synthetic content trees of N general guides, written for sitegen and for Hugo.

Two corpora, chosen by name:

- light: each guide ~880 characters of Chinese (three headed sections, 12 numbered steps, a
  table, a callout, three links) from a 50-word vocabulary; sitegen content has only its own
  site.yaml. The corpus of sessions 1-4.
- heavy: each guide ~6.5 KB (5-7.5 KB) of varied Chinese as a contributor writes it: several
  `##` sections, numbered steps, one or two pipe tables, a `> [!WARNING]` callout, links to other
  guides and their sections, fact references, and USSD codes and phone numbers typed into the
  text (which `sitegen build` warns about). The site-wide files (site.yaml, topics.yaml,
  facts.yaml, operators/) are copied from this repository's content/, so the typed-code check
  sees the real facts. The corpus of issue 16.

`python bench/corpus.py heavy 1000 DIR` writes one into DIR (to look at, or to profile a build).
Both write DIR/site/content (sitegen) and DIR/hugo (a Hugo site in one script, minimal layouts).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[str]:
    """Words of a space-separated literal (long word lists read better as text)."""
    return text.split()


# ---------------------------------------------------------------------------------------------
# light

WORDS = _words(
    "手机 号码 充值 余额 套餐 流量 短信 运营商 营业厅 护照 注销 续费 有效期 客服 网站 应用 "
    "银行卡 终端 机场 旅客 留学生 登记 设备 信号 漫游 账户 账单 支付 官方 步骤 注意 确认 "
    "办理 需要 可以 如果 然后 之后 首先 最后 每月 自动 手动 查询 输入 选择 保存 收到 提示"
)
PUNCT = "，，，。。；"


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return "".join(w + (rng.choice(PUNCT) if rng.random() < 0.15 else "") for w in words).rstrip("，；") + "。"


def body(rng: random.Random, i: int, n: int) -> str:
    parts = [sentence(rng) + sentence(rng)]
    for h in range(3):
        parts.append(f"## 第{h + 1}部分 {rng.choice(WORDS)}{rng.choice(WORDS)}")
        parts.append(" ".join(sentence(rng) for _ in range(3)))
        parts.append("\n".join(f"{k}. {sentence(rng)}" for k in range(1, 5)))
    parts.append(
        "| 项目 | 说明 |\n|---|---|\n" + "\n".join(f"| {rng.choice(WORDS)} | {sentence(rng)} |" for _ in range(3))
    )
    parts.append(f"> [!NOTE]\n> {sentence(rng)}")
    links = [(i + k) % n for k in (1, 7, 31)]
    parts.append("相关：" + "、".join(f"[指南{j}](guide-{j:05d}.md)" for j in links) + "。")
    return "\n\n".join(parts) + "\n"


def write_light(root: Path, n: int, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    site, hugo = root / "site", root / "hugo"
    guides, posts = _folders(site, hugo)
    (site / "content" / "site.yaml").write_text("title: 基准测试\nbase_url: https://bench.example/\n", "utf-8")
    for i in range(n):
        title = f"指南{i} {rng.choice(WORDS)}{rng.choice(WORDS)}"
        text = body(rng, i, n)
        day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        (guides / f"guide-{i:05d}.md").write_text(
            f"---\ntitle: {title}\nsummary: {sentence(rng)}\nupdated: {day}\n---\n{text}", "utf-8"
        )
        (posts / f"guide-{i:05d}.md").write_text(f'---\ntitle: "{title}"\ndate: {day}\n---\n{text}', "utf-8")
    _hugo_layouts(hugo)
    return site, hugo


# ---------------------------------------------------------------------------------------------
# heavy
#
# Text is drawn from sentence templates whose slots are filled from word classes. Words within
# a class are drawn with Zipf weights (rank r has weight 1/r), as in real text: a few words are
# everywhere, most are rare. Names of places, streets and shops are made from transliteration
# syllables, so the vocabulary keeps growing with the corpus as a real site's does (Pagefind's
# index and sitegen's bigram index both grow with the distinct words, not just the bytes).

VOCAB = {
    "n": _words("""手机 号码 余额 套餐 流量 短信 运营商 营业厅 护照 有效期 客服 网站 应用 银行卡 终端 账户 账单
        充值卡 密码 验证码 收据 凭条 合同 发票 现金 信用卡 借记卡 签证 居留证 身份证 复印件 照片 地址
        邮箱 二维码 链接 页面 按钮 菜单 设置 选项 网络 信号 基站 漫游 通话 语音 彩信 数据 话费 月租
        赠送量 分钟数 优惠 活动 服务 业务 资费 价格 费用 押金 手续费 工作人员 店员 前台 柜台 窗口 排队
        号码牌 营业时间 周末 节假日 高峰 机场 车站 地铁 酒店 学校 宿舍 公司 银行 邮局 超市 商场 市场
        药店 医院 大使馆 领事馆 移民局 警察局 公证处 翻译 朋友 家人 同学 同事 房东 司机 导游 游客 留学生
        外派人员 新号码 旧号码 副卡 主卡 实体卡 电子卡 卡槽 卡托 卡针 设备 型号 系统 版本 更新 电量
        充电器 耳机 屏幕 相机 定位 热点 无线网 路由器 宽带 套餐包 加油包 夜间包 周末包 国际包 套餐名
        计费周期 扣费 退费 欠费 停机 复机 挂失 补卡 换卡 过户 实名 登记 记录 明细 通知 提醒 短信码
        官网 应用商店 客服热线 在线客服 人工服务 自助服务 常见问题 使用说明 条款 规则 限制 期限 天数
        金额 面额 汇率 零钱 找零 硬币 纸币 钱包 余额提醒 到账 时间 日期 月份 年份 小时 分钟 秒钟
        行李 背包 雨伞 钥匙 门禁卡 公交卡 地铁卡 车票 机票 登机牌 海关 边检 入境卡 行程单 保险 保单
        病历 处方 挂号 体检 疫苗 证明 学生证 录取通知书 学费 奖学金 课程 教室 图书馆 食堂 宿管 导师
        护照页 签证页 盖章 印章 表格 申请表 回执 流水号 订单号 快递 包裹 邮编 门牌号 楼层 电梯 停车场
        出租车司机 网约车 公交车 火车 长途车 轮渡 高速公路 加油站 便利店 面包店 餐厅 咖啡馆 菜单价
        天气 气温 雨季 冬天 夏天 假期 开斋节 新年 诺鲁孜节 国庆日 纪念日 生日 婚礼 聚会 会议 面试
        雇主 合同工 工资 工资卡 税号 社保 养老金 租金 水费 电费 燃气费 物业费 网费 罚款 滞纳金 利息
        存款 取款 汇款 外汇 兑换点 汇款单 柜员机 取款机 卡号 有效日期 安全码 指纹 人脸识别 密保问题
        语言 英语 俄语 阿塞拜疆语 中文 翻译软件 词典 说明书 包装盒 保修卡 售后 维修点 配件 电池
        存储空间 内存卡 云盘 备份 照片库 通讯录 联系人 黑名单 骚扰电话 垃圾短信 诈骗 骗局 陷阱 投诉渠道"""),
    "v": _words("""办理 查询 输入 选择 保存 收到 确认 拨打 发送 注销 续费 登记 下载 安装 登录 注册 付款 转账
        退款 携带 出示 填写 签字 核对 等待 联系 咨询 申请 开通 关闭 取消 更换 激活 绑定 解绑 设置
        打开 点击 扫描 复制 粘贴 截图 重启 插入 取出 检查 比较 计算 记下 保留 丢弃 提交 上传 修改
        预约 排队 询问 说明 解释 告诉 提醒 核实 验证 升级 降级 转移 恢复 停用 启用 购买 租用 借用
        订购 退订 充值 补办 挂失 复印 拍照 翻译 公证 认证 寄出 领取 归还 交纳 缴费 报销 投诉 反馈
        打包 托运 寄存 取回 兑换 汇出 存入 冻结 解冻 延期 续签 补交 赔偿 报警 求助 备份 还原 同步
        导出 导入 删除 屏蔽 拉黑 举报 分享 转发 收藏 订阅 关注 评价 比价 预订 改签 退票 值机 安检
        登机 转机 接机 入住 退房 续住 搬入 搬出 签约 解约 续约 面签 体检 挂号 排号 叫号 刷卡 扫码"""),
    "a": _words("""先 再 然后 马上 立即 尽快 一般 通常 往往 大约 至少 最多 只 都 也 还 仍然 已经 可能 必须
        需要 可以 应该 最好 务必 千万 不要 别 随时 每次 每月 每周 每天 提前 按时 及时 自动 手动
        直接 另外 同时 之后 之前 首先 最后 其次 一定 尽量 顺便 亲自 当面 在线 免费 单独 统一"""),
    "adj": _words("""官方 正规 免费 便宜 划算 方便 简单 复杂 麻烦 安全 可靠 可疑 稳定 缓慢 快速 清楚 模糊
        完整 有效 无效 过期 正确 错误 常见 少见 临时 长期 短期 本地 国际 境外 预付费 后付费 实体 电子
        新 旧 大 小 多 少 贵 快 慢 忙 闲 满 空 准确 详细 最新 原来 额外 多余 必要 重要 紧急"""),
    "t": _words("""到达当天 第二天 入境后 出发前 下飞机后 办卡时 充值前 充值后 注销前 回国前 月底 月初 周一
        工作日 周末 晚上 白天 中午 早上 临走前 到期前 到期后 每次充值后 换手机后 出国期间 住酒店时
        入学时 签合同前 搬家后 丢卡后 收到短信后 余额不足时 信号不好时 没有网络时"""),
    "who": _words("""你 您 游客 留学生 外派人员 家人 朋友 房东 同事 新用户 老用户 工作人员 店员 客服 很多人
        大部分人 有的人 第一次来的人 短期停留的人 长期居住的人"""),
}
SYLLABLES = _words(
    "阿 巴 贝 达 德 法 甘 哈 伊 贾 卡 克 拉 勒 马 梅 纳 尼 奥 帕 萨 沙 塔 图 乌 瓦 维 亚 扎 泽 "
    "尔 夫 耶 里 曼 斯 诺 科 基 兰 列 莫 姆 赫 古 戈 加 盖 舍 连 苏 库 明 季 罗 鲁 什 琴 佐"
)
PLACE_KINDS = _words("街 路 大道 广场 区 镇 村 市场 购物中心 地铁站 公园 大街")
SHOP_KINDS = _words("营业厅 手机店 便利店 电器店 书店 药店 超市 小卖部")
TEMPLATES = """{who}{a}{v}{n}。
{t}，{who}{a}{v}{n}。
{t}，{who}可以在{place}的{shop}{v}{n}。
如果{n}{adj}，请{a}{v}{n}，然后再{v}{n}。
{v}{n}时，{a}需要{v}{n}和{n}。
注意：{n}{a}是{adj}的，{v}前请{v}{n}。
{who}说，{place}附近的{shop}{a}{v}{n}。
一般建议：{a}{v}{n}，不要{v}{adj}的{n}。
{n}和{n}不一样，{v}前{a}{v}清楚。
{place}的{shop}{a}可以{v}{n}，但不能{v}{n}。
{who}{a}{v}了{n}，却没有{v}{n}。
在{place}，{n}{a}比{n}{adj}。
想{v}{n}的话，{a}带上{n}、{n}和{n}。
{t}{a}{v}一次{n}，看看{n}是否{adj}。
{n}每次{a}{v}{num}次，{adj}的{n}除外。
{who}{a}在{place}{v}{n}，大约要{num}分钟。
{n}的价格是{price}，{n}{a}{adj}。
用{n}{v}{n}，{a}{adj}，也更{adj}。""".splitlines()
CODE_TEMPLATES = """拨打 {code} 可以{v}{n}。
在拨号界面输入 {code}，然后按拨号键。
{who}{a}拨打 {code} 确认{n}。
客服电话是 {phone}，工作日可以打。
也可以打 {phone} 问{n}。
发短信到 {short} 查询{n}。
{place}的{shop}电话是 {phone}。
{n}不够时，输入 {code} {v}{n}。""".splitlines()
FACT_TEMPLATES = """拨打 {fact} 查询{n}。
输入 {fact} 就能{v}{n}。
{who}可以用 {fact} {v}{n}。""".splitlines()
HEADINGS = _words("""先查余额 费用 常见问题 注意事项 办理地点 需要的材料 营业时间 到期以后
    换手机时 给别人办理 出问题时怎么办 {n}和{n} 怎样{v}{n} {v}{n} 在{place}{v}{n} {adj}的{n}""")
WEBSITES = {
    "azercell": "https://www.azercell.com/",
    "bakcell": "https://www.bakcell.com/",
    "nar": "https://www.nar.az/",
}
INTRO = "本页介绍{v}{n}的方法。{who}{a}{v}{n}，{a}{v}{n}。"


def zipf_picker(rng: random.Random, items: list[str], offset: int) -> Callable[[], str]:
    """A function drawing from items with weight 1/(rank + offset) (Zipf-Mandelbrot: the offset
    keeps the commonest word of a class from filling a tenth of the text); ranks are a seeded
    shuffle, so which words are common does not follow the order they are listed in."""
    ranked = items[:]
    rng.shuffle(ranked)
    cumulative = list(itertools.accumulate(1 / (r + offset) for r in range(1, len(ranked) + 1)))
    total = cumulative[-1]
    return lambda: ranked[bisect.bisect(cumulative, rng.random() * total)]


class HeavyText:
    """Sentences, names, codes and numbers for the heavy corpus, all from one seeded generator."""

    def __init__(self, rng: random.Random, facts: dict[str, str]) -> None:
        self.rng = rng
        self.pick = {k: zipf_picker(rng, v, offset=8) for k, v in VOCAB.items()}
        # ~2,000 place names and ~1,500 shop names, drawn with Zipf weights like the words
        self.pick["place"] = zipf_picker(
            rng, sorted({self._name(rng) + rng.choice(PLACE_KINDS) for _ in range(2000)}), offset=20
        )
        self.pick["shop"] = zipf_picker(
            rng, sorted({self._name(rng) + rng.choice(SHOP_KINDS) for _ in range(1500)}), offset=20
        )
        self.facts = facts  # fact reference -> its value, e.g. "nar.balance" -> "*777#YES"
        self.fact_refs = sorted(facts)

    @staticmethod
    def _name(rng: random.Random) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))

    def fill(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self._slot(m.group(1)), template)

    def _slot(self, name: str) -> str:
        rng = self.rng
        if name == "num":
            return str(rng.randint(1, 30))
        if name == "price":
            return f"{rng.choice((1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 50))} AZN"
        if name == "code":
            return as_typed(self.ussd())
        if name == "phone":
            return self.phone()
        if name == "short":
            return str(rng.choice((2525, 7777, 1001, 555, 650, 9100, 8181)))
        if name == "fact":  # a reference; the Hugo copy gets the value (see hugo_text)
            return "{{" + rng.choice(self.fact_refs) + "}}"
        return self.pick[name]()

    def ussd(self) -> str:
        """A code as people type it: sometimes one of the real facts' values, else made up."""
        rng = self.rng
        if rng.random() < 0.3:
            return self.facts[rng.choice(self.fact_refs)].removesuffix("YES")
        parts = [str(rng.randint(100, 999))] + [str(rng.randint(0, 99)) for _ in range(rng.randint(0, 2))]
        return "*" + "*".join(parts) + "#"

    def phone(self) -> str:
        rng = self.rng
        area = rng.choice(("12", "50", "51", "55", "70", "77", "99"))
        digits = f"{rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        return f"+994 {area} {digits}" if rng.random() < 0.6 else f"0{area} {digits}"

    def sentence(self, typed: float = 0.0, facts: float = 0.0) -> str:
        """One sentence; typed and facts are the chances of a typed code or a fact reference."""
        roll = self.rng.random()
        pool = CODE_TEMPLATES if roll < typed else FACT_TEMPLATES if roll < typed + facts else TEMPLATES
        return self.fill(self.rng.choice(pool))

    def paragraph(self, k: int, typed: float = 0.0, facts: float = 0.0) -> str:
        return "".join(self.sentence(typed, facts) for _ in range(k))

    def heading(self, used: set[str]) -> str:
        """A heading not in used (a guide's sections have different names), added to it."""
        while (heading := self.fill(self.rng.choice(HEADINGS))) in used:
            pass
        used.add(heading)
        return heading


def heavy_body(text: HeavyText, i: int, n: int, target: int) -> str:
    """One guide's Markdown body, about target bytes of UTF-8."""
    rng = text.rng
    parts = [
        text.fill(INTRO) + text.paragraph(2, typed=0.22),
        "## 适用对象\n\n" + "\n".join(f"- {text.sentence()}" for _ in range(rng.randint(2, 4))),
        "## 准备\n\n" + "\n".join(f"{k}. {text.sentence(facts=0.2)}" for k in range(1, rng.randint(3, 6))),
        "## 办理步骤 {#steps}\n\n"
        + "\n".join(f"{k}. {text.sentence(typed=0.18, facts=0.15)}" for k in range(1, rng.randint(6, 10))),
        "> [!WARNING]\n> " + text.paragraph(2, typed=0.15),
        _table(text),
    ]
    if rng.random() < 0.5:
        parts.append(_table(text))
    tail = ["## 相关指南\n\n" + _links(text, i, n)]
    size = sum(len(p.encode()) for p in parts + tail)
    used = {"适用对象", "准备", "办理步骤", "相关指南"}
    while size < target:  # more sections, as long guides have: a heading, prose, sometimes a list
        section = [f"## {text.heading(used)}", text.paragraph(rng.randint(2, 5), typed=0.09, facts=0.05)]
        if rng.random() < 0.4:
            section.append("\n".join(f"- {text.sentence(typed=0.07)}" for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.3:
            section.append(f"### {text.heading(used)}\n\n" + text.paragraph(rng.randint(1, 3), typed=0.07))
        parts.extend(section)
        size += sum(len(p.encode()) for p in section)
    return "\n\n".join(parts + tail) + "\n"


def _table(text: HeavyText) -> str:
    rng = text.rng
    rows = [
        f"| {text.pick['n']()} | {text.fill('{price}')} | {text.sentence(typed=0.22)} |"
        for _ in range(rng.randint(3, 6))
    ]
    return "| 方式 | 费用 | 说明 |\n|---|---|---|\n" + "\n".join(rows)


def _links(text: HeavyText, i: int, n: int) -> str:
    """Links to other guides (some to a section) and to an operator, as relative source paths."""
    rng = text.rng
    others = sorted({rng.randrange(n) for _ in range(rng.randint(3, 5))} - {i}) or [(i + 1) % n]
    items = [
        f"- [{text.pick['v']()}{text.pick['n']()}](guide-{j:05d}.md{'#steps' if rng.random() < 0.3 else ''})"
        for j in others
    ]
    operator = rng.choice(("azercell", "bakcell", "nar"))
    items.append(f"- [{operator.capitalize()}](../operators/{operator}.yaml)")
    return "\n".join(items)


def as_typed(code: str) -> str:
    """A code as Markdown source: in *111*1*7# the first two stars would make 111 emphasis (in
    sitegen and in Hugo alike), so a contributor who checks the preview escapes them."""
    return code.replace("*", r"\*") if code.count("*") > 1 else code


def real_facts() -> dict[str, str]:
    """The dialable facts of this repository's operators: reference -> value."""
    facts = {}
    for path in sorted((REPO / "content" / "operators").glob("*.yaml")):
        for key, fact in (yaml.safe_load(path.read_text("utf-8")).get("facts") or {}).items():
            value = fact.get("value")
            if isinstance(value, str) and re.fullmatch(r"[*#+]?\d[\d*# ]*(YES)?", value) and len(value) >= 3:
                facts[f"{path.stem}.{key}"] = value
    return facts


def hugo_text(markdown: str, facts: dict[str, str]) -> str:
    """What a Hugo user writes: the codes themselves where sitegen has fact references, and
    operator links to the operators' websites (Hugo has no operator pages)."""
    markdown = re.sub(r"\{\{(\w+\.[\w-]+)\}\}", lambda m: as_typed(facts[m.group(1)].removesuffix("YES")), markdown)
    return re.sub(r"\.\./operators/(\w+)\.yaml", lambda m: WEBSITES[m.group(1)], markdown)


def write_heavy(root: Path, n: int, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    site, hugo = root / "site", root / "hugo"
    guides, posts = _folders(site, hugo)
    source = REPO / "content"
    for name in ("site.yaml", "topics.yaml", "facts.yaml"):
        shutil.copy(source / name, site / "content" / name)
    shutil.copytree(source / "operators", site / "content" / "operators")
    facts = real_facts()
    text = HeavyText(rng, facts)
    for i in range(n):
        title = f"{text.fill('{v}{n}')}：{text.fill('{place}')}指南 {i}"
        summary = text.sentence()
        day = f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}"
        markdown = heavy_body(text, i, n, target=rng.randint(5000, 7000))
        operator = rng.choice(("azercell", "bakcell", "nar"))
        (guides / f"guide-{i:05d}.md").write_text(
            f"---\ntitle: {title}\nsummary: {summary}\nupdated: {day}\nsources:\n"
            f"  - {WEBSITES[operator]}\n---\n{markdown}",
            "utf-8",
        )
        (posts / f"guide-{i:05d}.md").write_text(
            f'---\ntitle: "{title}"\ndescription: "{summary}"\ndate: {day}\n---\n{hugo_text(markdown, facts)}', "utf-8"
        )
    _hugo_layouts(hugo)
    return site, hugo


# ---------------------------------------------------------------------------------------------
# both

CORPORA: dict[str, Callable[[Path, int], tuple[Path, Path]]] = {"light": write_light, "heavy": write_heavy}


def write_corpus(root: Path, n: int, name: str = "light") -> tuple[Path, Path]:
    """Write sitegen content (root/site/content) and a Hugo site (root/hugo); returns both."""
    return CORPORA[name](root, n)


def _folders(site: Path, hugo: Path) -> tuple[Path, Path]:
    guides = site / "content" / "guides"
    posts = hugo / "content" / "posts"
    guides.mkdir(parents=True)
    posts.mkdir(parents=True)
    return guides, posts


def _hugo_layouts(hugo: Path) -> None:
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://bench.example/"\nlanguageCode = "zh-Hans"\n'
        'title = "基准测试"\ndisableKinds = ["taxonomy", "term"]\n',
        "utf-8",
    )
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    base = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    )
    (layouts / "baseof.html").write_text(base, "utf-8")
    (layouts / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}'
        '{{ .Content }}<p>{{ .Date.Format "2006-01-02" }}</p>{{ end }}\n',
        "utf-8",
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
        "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
        "utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="write a benchmark corpus (see the module docstring)")
    parser.add_argument("corpus", choices=sorted(CORPORA))
    parser.add_argument("n", type=int)
    parser.add_argument("dir", type=Path, help="a new or empty folder")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    site, hugo = write_corpus(args.dir, args.n, args.corpus)
    print(f"sitegen content: {site / 'content'}\nhugo site: {hugo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
