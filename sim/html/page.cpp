#include "sim/html/page.hpp"

#include <fmt/format.h>

#include "sim/html/svg_chart.hpp"

namespace stratus::html {

std::string page_begin(const std::string& title, int max_width) {
    return fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}</title>
<style>
body {{ font-family: "DejaVu Sans", "Noto Sans CJK KR", Arial, sans-serif; margin: 24px auto;
       max-width: {}px; color: #222; font-size: 14px; line-height: 1.45; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 17px; margin: 28px 0 8px;
       border-bottom: 1px solid #ddd; padding-bottom: 3px; }}
.meta {{ color: #555; }}
.badge {{ display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: bold;
         color: #fff; }}
.met {{ background: #2ca02c; }} .missed {{ background: #d62728; }}
table {{ border-collapse: collapse; margin: 6px 0 10px; }}
td, th {{ border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.sub td {{ color: #555; font-size: 13px; }} tr.total td {{ font-weight: bold; }}
pre.description {{ white-space: pre-wrap; background: #f7f7f7; padding: 8px; border: 1px
       solid #eee; font-family: inherit; }}
svg.chart {{ display: block; margin: 8px 0 4px; }}
svg text {{ font-size: 11px; fill: #333; }} svg text.ctitle {{ font-size: 13px;
       font-weight: bold; }} svg text.ytick {{ text-anchor: end; }} svg text.xtick,
svg text.xlabel {{ text-anchor: middle; }} svg text.ylabel {{ text-anchor: middle; }}
.legend-note {{ color: #555; font-size: 12px; }}
div.wide {{ overflow-x: auto; }} span.ci {{ color: #666; font-size: 11px; white-space: nowrap; }}
.answer {{ font-size: 15px; background: #f4f8ff; border-left: 4px solid #1f77b4;
       padding: 8px 12px; }}
</style></head><body>
)",
                       escape(title), max_width);
}

std::string page_end() {
    return "<p class=\"legend-note\">Made by stratus. One file: no script, nothing fetched; "
           "the charts are inline SVG.</p>\n</body></html>\n";
}

}  // namespace stratus::html
