# Timing helpers for the benchmark scripts; they need $work (a scratch folder) and $runs.

# timed NAME COMMAND...: appends "wall cpu maxrss_kb" of one run to $work/NAME.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$work/time" >>"$work/$name"
}

# median NAME: the line of $work/NAME with the median wall time.
median() { sort -n "$work/$1" | awk -v n="$runs" 'NR == int((n + 1) / 2)'; }

# paired_ratio A B: the median over runs of A's wall time over B's in the same round ($4: B's wall,
# after A's three fields from `timed`). The machines' speed drifts by up to 20 % within minutes; a
# round's two runs share its speed.
paired_ratio() {
  paste -d ' ' "$work/$1" "$work/$2" | awk '{ printf "%.4f\n", $1 / $4 }' | sort -n |
    awk -v n="$runs" 'NR == int((n + 1) / 2) { printf "%.2f", $1 }'
}
