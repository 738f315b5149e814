#!/usr/bin/env bash
# Draws latency against offered rate from a load-tests/run.sh report directory: one SVG (no external assets) with the
# server-side p50 and p99 of the whole request per rate step (the "total" row of each <rate>rps/stages.txt), and the
# CPU per ranked request on a second axis. Usage: latency-chart.sh REPORT_DIR  (writes REPORT_DIR/latency-vs-rate.svg)
set -euo pipefail
report=${1:?usage: latency-chart.sh REPORT_DIR}
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for stages in "$report"/*rps/stages.txt; do
  [[ -f $stages ]] || continue
  rate=$(basename "$(dirname "$stages")"); rate=${rate%rps}
  # "total  <mean> <=p50 <=p95 <=p99" and "... = X ms CPU per ranked request"
  awk -v rate="$rate" '
    /ms CPU per ranked request/ { for (i = 1; i <= NF; i++) if ($i == "=") cpu = $(i + 1) }
    $1 == "total" { p50 = $3; p99 = $5; gsub(/[<=>max]/, "", p50); gsub(/[<=>max]/, "", p99) }
    END { if (p50 != "") printf "%s %s %s %s\n", rate, p50, p99, (cpu == "" ? "nan" : cpu) }
  ' "$stages" >>"$rows"
done
if [[ ! -s $rows ]]; then echo "no rate steps with a 'total' row under $report" >&2; exit 2; fi
sort -n "$rows" | awk '
  function x(r) { return 70 + (r - rmin) / (rmax > rmin ? rmax - rmin : 1) * 460 }
  function y(v) { return 250 - v / (vmax > 0 ? vmax : 1) * 200 }
  function yc(v) { return 250 - v / (cmax > 0 ? cmax : 1) * 200 }
  { n++; r[n] = $1; p50[n] = $2; p99[n] = $3; cpu[n] = $4
    if (n == 1 || $1 < rmin) rmin = $1; if ($1 > rmax) rmax = $1
    if ($3 + 0 > vmax) vmax = $3 + 0; if ($4 != "nan" && $4 + 0 > cmax) cmax = $4 + 0 }
  END {
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"300\" viewBox=\"0 0 640 300\" font-family=\"sans-serif\" font-size=\"11\">\n"
    printf "<title>Server-side latency and CPU per request against offered rate</title>\n"
    printf "<line x1=\"70\" y1=\"250\" x2=\"530\" y2=\"250\" stroke=\"#333\"/><line x1=\"70\" y1=\"50\" x2=\"70\" y2=\"250\" stroke=\"#333\"/>\n"
    printf "<line x1=\"530\" y1=\"50\" x2=\"530\" y2=\"250\" stroke=\"#999\"/>\n"
    printf "<text x=\"300\" y=\"285\" text-anchor=\"middle\">offered rate (requests/s)</text>\n"
    printf "<text x=\"15\" y=\"150\" transform=\"rotate(-90 15 150)\" text-anchor=\"middle\">latency (ms, histogram bucket bound)</text>\n"
    printf "<text x=\"625\" y=\"150\" transform=\"rotate(90 625 150)\" text-anchor=\"middle\" fill=\"#777\">CPU per request (ms)</text>\n"
    printf "<text x=\"66\" y=\"54\" text-anchor=\"end\">%.1f</text><text x=\"66\" y=\"254\" text-anchor=\"end\">0</text>\n", vmax
    printf "<text x=\"534\" y=\"54\" fill=\"#777\">%.2f</text>\n", cmax
    split("p50 p99", names, " "); split("#1f77b4 #d62728", colours, " ")
    for (k = 1; k <= 2; k++) {
      pts = ""
      for (i = 1; i <= n; i++) pts = pts sprintf("%.1f,%.1f ", x(r[i]), y(k == 1 ? p50[i] : p99[i]))
      printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", colours[k], pts
      for (i = 1; i <= n; i++) printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" data-rate=\"%s\" data-%s-ms=\"%s\"/>\n", x(r[i]), y(k == 1 ? p50[i] : p99[i]), colours[k], r[i], names[k], (k == 1 ? p50[i] : p99[i])
      printf "<text x=\"540\" y=\"%d\" fill=\"%s\">%s</text>\n", 60 + 14 * k, colours[k], names[k]
    }
    pts = ""
    for (i = 1; i <= n; i++) if (cpu[i] != "nan") pts = pts sprintf("%.1f,%.1f ", x(r[i]), yc(cpu[i]))
    printf "<polyline fill=\"none\" stroke=\"#777\" stroke-dasharray=\"4 3\" points=\"%s\"/>\n", pts
    printf "<text x=\"540\" y=\"102\" fill=\"#777\">CPU/request</text>\n"
    for (i = 1; i <= n; i++) printf "<text x=\"%.1f\" y=\"265\" text-anchor=\"middle\">%s</text>\n", x(r[i]), r[i]
    printf "</svg>\n"
  }' >"$report/latency-vs-rate.svg"
echo "chart: $report/latency-vs-rate.svg"
