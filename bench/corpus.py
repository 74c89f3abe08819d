"""A deterministic synthetic content tree of N general guides with realistic CJK bodies.

Each guide is ~1,000 Chinese characters with headings, numbered steps, a table, a callout and
links to other guides. The same text is written as a sitegen content tree and a Hugo site.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "手机",
    "号码",
    "充值",
    "余额",
    "套餐",
    "流量",
    "短信",
    "运营商",
    "营业厅",
    "护照",
    "注销",
    "续费",
    "有效期",
    "客服",
    "网站",
    "应用",
    "银行卡",
    "终端",
    "机场",
    "旅客",
    "留学生",
    "登记",
    "设备",
    "信号",
    "漫游",
    "账户",
    "账单",
    "支付",
    "官方",
    "步骤",
    "注意",
    "确认",
    "办理",
    "需要",
    "可以",
    "如果",
    "然后",
    "之后",
    "首先",
    "最后",
    "每月",
    "自动",
    "手动",
    "查询",
    "输入",
    "选择",
    "保存",
    "收到",
    "提示",
]
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


def write_corpus(root: Path, n: int, seed: int = 1) -> tuple[Path, Path]:
    """Write sitegen content (root/site/content) and a Hugo site (root/hugo); returns both."""
    rng = random.Random(seed)
    site, hugo = root / "site", root / "hugo"
    guides = site / "content" / "guides"
    posts = hugo / "content" / "posts"
    guides.mkdir(parents=True)
    posts.mkdir(parents=True)
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
