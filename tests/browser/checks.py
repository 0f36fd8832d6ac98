"""What every page must pass in the browser: axe-core, no sideways scroll, no console
errors, and in elderly mode MIIT's text and touch-target sizes.

Screenshots: by default only of a page the walk finds at fault (in ``screenshots/``).
``MULIN_SCREENSHOTS=1`` keeps a full-page screenshot of every page walked and of the browser
tests' steps in ``screenshots/``; ``MULIN_SCREENSHOTS=/some/folder`` keeps them there.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("MULIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# null when axe-core is not loaded in the page yet (see inject_axe).
_RUN_AXE = """async (tags) => {
  if (typeof axe === "undefined") return null;
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

# Boxes of the things a finger must hit. Elements that are not shown (hidden inputs, the
# skip link parked above the page until focused, visually-hidden text) are left out.
_TARGETS = """([selector, minimum]) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest(".visually-hidden") || el.type === "hidden") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom + window.scrollY <= 0) continue;
    if (r.width + 0.5 < minimum || r.height + 0.5 < minimum) {
      const label = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim();
      out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> "${label.slice(0, 30)}" `
               + `${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return out;
}"""

# Every element that holds text of its own: its font size and line height.
_TEXT = """([minSize, minRatio]) => {
  const out = [];
  const body = getComputedStyle(document.body);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    if (el.closest(".visually-hidden, script, style, svg") || el.getClientRects().length === 0) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    const lh = s.lineHeight === "normal" ? null : parseFloat(s.lineHeight);
    const text = node.textContent.trim().slice(0, 25);
    if (size + 0.01 < minSize) out.push(`"${text}" font-size ${size}px`);
    if (lh !== null && lh / size + 0.005 < minRatio) {
      out.push(`"${text}" line-height ${(lh / size).toFixed(2)}`);
    }
  }
  return {bodySize: parseFloat(body.fontSize), bodyLineHeight: body.lineHeight, problems: out};
}"""


def screenshot_dir() -> Path | None:
    """Where to keep screenshots of every step, if asked (MULIN_SCREENSHOTS); None: only failures."""
    value = os.environ.get("MULIN_SCREENSHOTS", "")
    if value in ("", "0"):
        return None
    folder = SCREENSHOTS if value == "1" else Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def inject_axe(context) -> None:
    """Load axe-core into every page the context opens, as the page starts: one script for
    the whole context instead of a <script> tag added to each page after it has loaded."""
    context.add_init_script(path=str(AXE))


def axe_violations(page) -> list[dict]:
    violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    if violations is None:  # a context without inject_axe
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern; a <script> tag (add_script_tag) would be an inline script it refuses.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    at {node['target']}: {summary}")
    return "\n".join(lines)


def horizontal_overflow(page, width: int) -> int | None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return scroll_width if scroll_width > width else None


def small_targets(page, selector: str, minimum: int) -> list[str]:
    return page.evaluate(_TARGETS, [selector, minimum])


def text_problems(page, min_size: float = 18, min_ratio: float = 1.3) -> dict:
    return page.evaluate(_TEXT, [min_size, min_ratio])


# What a finger must hit in elderly mode, at MIIT's 60 × 60: every button and every link
# styled as one (.btn, not only .btn-primary: 上一周, 我的签到码, 全部活动 were .btn at 50 px and
# only measured against 44), every fold-out line, field and list box, the menus, and every
# link that is a call to action (a row of actions, a pager, a tile).
MAIN_TARGETS = ", ".join(
    [
        "button",
        ".btn",
        ".btn-primary",
        "summary",
        "input:not([type=checkbox], [type=radio], [type=hidden])",
        "select",
        ".elderly-switch",
        ".main-nav a",
        ".menu-toggle",
        ".actions a",
        ".pager a",
        ".inline-actions a",
        ".tile",
    ]
)


def elderly_problems(page) -> list[str]:
    """MIIT 适老化: text ≥ 18 px at line height ≥ 1.3; main targets 60 × 60; others 44 × 44."""
    problems = []
    text = text_problems(page)
    if text["bodySize"] < 18:
        problems.append(f"body font-size {text['bodySize']}px < 18px")
    problems += [f"text: {p}" for p in text["problems"]]
    problems += [f"main target < 60×60: {t}" for t in small_targets(page, MAIN_TARGETS, 60)]
    targets = "a, button, input, select, textarea"
    problems += [f"target < 44×44: {t}" for t in small_targets(page, targets, 44)]
    return problems
