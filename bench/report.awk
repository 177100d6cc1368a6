#
# Copyright (c) 2026 The dinit authors.
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#

# report.awk: turn bench/run's raw lines into the table for people
# (-v mode=text) or the JSON file for tools (-v mode=json).
#
# Input lines: "meta KEY VALUE..." and "IMPL N RUN KEY VALUE", where IMPL
# is floor, dinit, dinit-chain, s6 or runit.  Every figure is the median
# of the runs, with its spread ((max - min) / median) and its ratio to the
# floor and to each peer of the same bench run.  Plain POSIX awk.

BEGIN {
	nimpl = split("floor dinit s6 runit", impls, " ")
	npeer = split("s6 runit", peers, " ")

	# The rows: id, label, unit, floor key, supervisor key, IMPL suffix.
	nrow = 0
	row("S1", "S1 parallel start", "ms", "floor_s1_ms", "start_ms", "")
	row("S2", "S2 chain start", "ms", "floor_s2_ms", "start_ms", "-chain")
	row("S3", "S3 stop all", "ms", "floor_s3_ms", "stop_ms", "")
	row("S4", "S4 private memory", "KiB", "", "mem_private_kib", "")
	row("S4s", "S4 private/service", "KiB", "", "mem_private_per_service",
	    "")
	row("S4r", "S4 RSS (sum)", "KiB", "", "mem_rss_kib", "")
	row("S5", "S5 dinitctl status", "ms", "", "s5_status_ms", "")
	row("S5l", "S5 dinitctl list", "ms", "", "s5_list_ms", "")
	row("S5v", "S5 dinitctl --version", "ms", "", "s5_version_ms", "")
	row("S6w", "S6 idle wakeups", "count", "", "idle_wakeups", "")
	row("S6", "S6 idle syscalls", "count", "", "idle_syscalls", "")
	row("S7", "S7 respawn", "ms", "floor_s7_ms", "respawn_ms", "")
	nn = 0
}

# Declare a row of the table.
function row(id, label, unit, fkey, skey, suffix) {
	nrow++
	rid[nrow] = id
	rlabel[nrow] = label
	runit[nrow] = unit
	rfkey[nrow] = fkey
	rskey[nrow] = skey
	rsuffix[nrow] = suffix
}

# Keep one figure.
function keep(impl, n, run, key, value,    k) {
	k = impl SUBSEP n SUBSEP key
	if (!(k in count))
		count[k] = 0
	vals[k, ++count[k]] = value + 0
	runs_seen[run] = 1
}

$1 == "meta" {
	value = $0
	sub(/^meta [^ ]+ ?/, "", value)
	meta[$2] = value
	metakeys[++nmeta] = $2
	next
}

NF >= 5 {
	impl = $1; n = $2 + 0; run = $3; key = $4
	if (!(n in nseen)) {
		nseen[n] = 1
		nlist[++nn] = n
	}
	if (key == "error" || key == "respawn_timeouts" ||
	    key == "supervisor_exit" || key == "supervisor_signal") {
		errors[++nerr] = impl " N=" n " run " run ": " key " " $5
		next
	}
	if (key == "s5_na") {
		s5_na[n] = 1
		next
	}
	if (key ~ /^s5_.*_failures$/ && $5 + 0 > 0) {
		errors[++nerr] = impl " N=" n " run " run ": " key " " $5
		s5_failed[n] = 1
		next
	}
	if ($5 !~ /^-?[0-9.]+$/) {
		words[impl SUBSEP n SUBSEP key] = $5
		next
	}
	if (key ~ /_(wall|steal)_ms$/) {
		phase_note(impl, n, run, key, $5 + 0)
		next
	}
	if (stolen(impl, n, run, phase_of(key)))
		next
	keep(impl, n, run, key, $5)
	if (key == "mem_private_kib")
		keep(impl, n, run, "mem_private_per_service", $5 / n)
}

# The timed phase a figure belongs to, as the harness names it.
function phase_of(key) {
	if (key ~ /^floor_/)
		return ("floor")
	if (key == "start_ms" || key == "stop_ms")
		return (substr(key, 1, length(key) - 3))
	if (key ~ /^respawn_/ && key != "respawn_n")
		return ("respawn")
	return ("")
}

# Keep the wall time or the steal of a phase ("PHASE_wall_ms", ...).
function phase_note(impl, n, run, key, value,    ph, k) {
	ph = key
	sub(/_(wall|steal)_ms$/, "", ph)
	k = impl SUBSEP n SUBSEP run SUBSEP ph
	if (key ~ /_wall_ms$/)
		pwall[k] = value
	else {
		psteal[k] = value
		if (value > max_steal)
			max_steal = value
	}
}

#
# Whether the hypervisor stole too much CPU during a phase for its figures
# to mean anything: more than 10 ms (one tick of /proc/stat on most
# kernels) and more than 2% of the CPU time the machine had during it.
# The first time, the phase is noted as set aside.
#
function stolen(impl, n, run, ph,    k, cpus) {
	k = impl SUBSEP n SUBSEP run SUBSEP ph
	if (ph == "" || !(k in psteal))
		return (0)
	cpus = meta["cpus"] + 0
	if (cpus < 1)
		cpus = 1
	if (psteal[k] <= 10 || psteal[k] <= 0.02 * pwall[k] * cpus)
		return (0)
	if (!(k in set_aside)) {
		set_aside[k] = 1
		aside[++naside] = sprintf("%s N=%d run %s: %s: %.0f ms of CPU " \
		    "stolen in %.0f ms", impl, n, run, ph, psteal[k], pwall[k])
	}
	return (1)
}

# Sort v[1..m] in place (few values: insertion sort).
function sortv(v, m,    i, j, t) {
	for (i = 2; i <= m; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--)
			v[j + 1] = v[j]
		v[j + 1] = t
	}
}

# Median, min, max and count of a figure into st[]; 0 when none.
function stats(impl, n, key, st,    k, m, i, v) {
	k = impl SUBSEP n SUBSEP key
	if (!(k in count) || count[k] == 0)
		return (0)
	m = count[k]
	for (i = 1; i <= m; i++)
		v[i] = vals[k, i]
	sortv(v, m)
	st["median"] = m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	st["min"] = v[1]
	st["max"] = v[m]
	st["n"] = m
	return (1)
}

# The IMPL and key a row means for an implementation.
function rowimpl(r, impl) {
	if (impl == "floor")
		return ("floor")
	return (impl rsuffix[r])
}
function rowkey(r, impl) {
	return (impl == "floor" ? rfkey[r] : rskey[r])
}

# The row of an id.
function rowof(id,    r) {
	for (r = 1; r <= nrow; r++)
		if (rid[r] == id)
			return (r)
	return (0)
}

# Median of a row for an implementation, or "" when not measured.
function med(r, impl, n,    st) {
	if (impl == "floor" && rfkey[r] == "")
		return ("")
	if (!stats(rowimpl(r, impl), n, rowkey(r, impl), st))
		return ("")
	return (st["median"])
}

# A number for people.
function num(x) {
	if (x == "")
		return ("-")
	if (x == int(x))
		return (sprintf("%d", x))
	if (x >= 100)
		return (sprintf("%.0f", x))
	if (x >= 10)
		return (sprintf("%.1f", x))
	if (x >= 1)
		return (sprintf("%.2f", x))
	return (sprintf("%.3f", x))
}

# A ratio, or "" when either side is missing or zero.
function ratio(a, b) {
	if (a == "" || b == "" || b == 0)
		return ("")
	return (a / b)
}

# The ratio of a median to the floor's, "" for the floor itself.
function floor_ratio(impl, x, r, n) {
	if (impl == "floor")
		return ("")
	return (ratio(x, med(r, "floor", n)))
}

# One cell of the table: median, spread, ratio to the floor.
function cell(r, impl, n,    st, s, f, x) {
	if (impl == "floor" && rfkey[r] == "")
		return ("")
	if (!stats(rowimpl(r, impl), n, rowkey(r, impl), st))
		return ("-")
	s = num(st["median"])
	if (st["n"] > 1 && st["median"] != 0)
		s = s sprintf(" +-%d%%",
		    (st["max"] - st["min"]) * 100 / st["median"] + 0.5)
	if (impl != "floor" && (f = med(r, "floor", n)) != "" &&
	    (x = ratio(st["median"], f)) != "")
		s = s sprintf(" (%.2fx)", x)
	return (s)
}

# Judge the targets for dinit at n: fills tg_* arrays, returns how many.
function targets(n,    t, x, f, st, d, v) {
	t = 0

	t++; tg_id[t] = "S1"; tg_text[t] = "S1 <= 1.5x floor"
	x = ratio(med(rowof("S1"), "dinit", n), med(rowof("S1"), "floor", n))
	judge(t, x, x == "" ? "" : x <= 1.5, "%.2fx")

	t++; tg_id[t] = "S2"; tg_text[t] = "S2 <= 2x serial floor"
	x = ratio(med(rowof("S2"), "dinit", n), med(rowof("S2"), "floor", n))
	judge(t, x, x == "" ? "" : x <= 2, "%.2fx")

	t++; tg_id[t] = "S3"; tg_text[t] = "S3 <= 1.5x floor kill+reap"
	x = ratio(med(rowof("S3"), "dinit", n), med(rowof("S3"), "floor", n))
	judge(t, x, x == "" ? "" : x <= 1.5, "%.2fx")

	t++; tg_id[t] = "S4"
	tg_text[t] = "S4 <= 1.1 KiB private/service at N=1000"
	x = med(rowof("S4s"), "dinit", n)
	if (n == 1000)
		judge(t, x, x == "" ? "" : x <= 1.1, "%.2f KiB")
	else
		judge(t, x, "info", "%.2f KiB")

	t++; tg_id[t] = "S5"
	tg_text[t] = "S5 status <= --version + 0.2 ms"
	if (n in s5_na) {
		judge(t, "", "n/a", "")
		tg_value[t] = "n/a (no dinitctl yet)"
	} else {
		d = med(rowof("S5"), "dinit", n)
		v = med(rowof("S5v"), "dinit", n)
		x = (d == "" || v == "") ? "" : d - v
		judge(t, x, x == "" ? "" : x <= 0.2, "%+.3f ms")
		if (n in s5_failed)
			tg_met[t] = "invalid (dinitctl failed)"
	}

	t++; tg_id[t] = "S6"; tg_text[t] = "S6 zero syscalls while idle"
	if (stats("dinit", n, "idle_syscalls", st))
		judge(t, st["max"], st["max"] == 0, "%d")
	else
		judge(t, "", "", "")

	t++; tg_id[t] = "S7"; tg_text[t] = "S7 <= 2.5x floor respawn"
	x = ratio(med(rowof("S7"), "dinit", n), med(rowof("S7"), "floor", n))
	judge(t, x, x == "" ? "" : x <= 2.5, "%.2fx")
	return (t)
}

# Record a target's value and verdict ("" = not measured).
function judge(t, x, ok, fmt) {
	tg_x[t] = x
	tg_value[t] = x == "" ? "-" : sprintf(fmt, x)
	if (ok == "")
		tg_met[t] = "not measured"
	else if (ok == "info" || ok == "n/a")
		tg_met[t] = ok
	else
		tg_met[t] = ok ? "met" : "MISSED"
}

# A JSON number or null.
function jnum(x) {
	return (x == "" ? "null" : sprintf("%.6g", x))
}

# A verdict as JSON: true, false or null.
function jbool(verdict) {
	if (verdict == "met")
		return ("true")
	return (verdict == "MISSED" ? "false" : "null")
}

# A JSON string.
function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return ("\"" s "\"")
}

END {
	# The Ns in increasing order.
	for (i = 2; i <= nn; i++) {
		t = nlist[i]
		for (j = i - 1; j >= 1 && nlist[j] > t; j--)
			nlist[j + 1] = nlist[j]
		nlist[j + 1] = t
	}
	nruns = 0
	for (r in runs_seen)
		nruns++
	if (mode == "json")
		report_json()
	else
		report_text()
}

function report_text(    i, k, n, r, c, w, hdr, line, t, nt, x, m) {
	printf "dinit benchmarks: %s, %s, %s CPUs, dinit %s (%s)\n",
	    meta["date"], meta["kernel"], meta["cpus"], meta["dinit_commit"],
	    meta["dinit_path"]
	printf "peers: %s (s6 %s, runit %s); %s run(s); idle window %s s; " \
	    "%s respawn samples; tiny static: %s\n", meta["peers"],
	    meta["s6_version"], meta["runit_version"], nruns, meta["idle_s"],
	    meta["respawn_samples"], meta["tiny_static"]
	printf "load average before: %s; after: %s\n", meta["load_before"],
	    meta["load_after"]
	printf "CPU steal: at most %.0f ms in one phase; %d phase(s) set " \
	    "aside\n", max_steal, naside
	if (meta["busy_before"] != "")
		printf "other busy processes before the run: %s\n",
		    meta["busy_before"]
	printf "cells: median +-spread ((max-min)/median) (ratio to the " \
	    "floor); - = not measured\n"
	for (i = 1; i <= nn; i++) {
		n = nlist[i]
		printf "\nN = %d\n", n
		printf "%-24s %-5s", "scenario", "unit"
		for (k = 1; k <= nimpl; k++)
			printf " %-22s", impls[k]
		for (k = 1; k <= npeer; k++)
			printf " %-11s", "dinit/" peers[k]
		printf "\n"
		for (r = 1; r <= nrow; r++) {
			if (rid[r] ~ /^S5/ && (n in s5_na)) {
				if (rid[r] == "S5")
					printf "%-24s %-5s %-22s %s\n",
					    "S5 control latency", "ms", "",
					    "n/a (no dinitctl yet)"
				continue
			}
			printf "%-24s %-5s", rlabel[r], runit[r]
			for (k = 1; k <= nimpl; k++)
				printf " %-22s", cell(r, impls[k], n)
			for (k = 1; k <= npeer; k++) {
				x = ratio(med(r, "dinit", n), med(r, peers[k], n))
				printf " %-11s", (x == "" ? "-" : sprintf("%.2fx", x))
			}
			printf "\n"
		}
		if (("dinit" SUBSEP n SUBSEP "idle_syscall_names") in words)
			printf "  dinit's idle syscalls: %s\n",
			    words["dinit", n, "idle_syscall_names"]
		printf "floor by method (ms):"
		split("posix_spawn fork vfork", m, " ")
		for (k = 1; k <= 3; k++) {
			printf "  %s", m[k]
			split("s1 s2 s3 s7", c, " ")
			for (w = 1; w <= 4; w++) {
				if (stats("floor", n, "floor_" c[w] "_" m[k] "_ms",
				    st))
					printf " %s=%s", toupper(c[w]),
					    num(st["median"])
			}
		}
		printf "\n"
		nt = targets(n)
		printf "targets for dinit at N = %d:\n", n
		for (t = 1; t <= nt; t++)
			printf "  %-42s %-22s %s\n", tg_text[t], tg_value[t],
			    tg_met[t]
	}
	if (nerr > 0) {
		printf "\nerrors:\n"
		for (i = 1; i <= nerr; i++)
			printf "  %s\n", errors[i]
	}
	if (naside > 0) {
		printf "\nset aside (CPU steal above 2%% and 10 ms):\n"
		for (i = 1; i <= naside; i++)
			printf "  %s\n", aside[i]
	}
}

function report_json(    i, k, n, r, p, st, first, nt, t, x, sep) {
	printf "{\n  \"meta\": {"
	for (i = 1; i <= nmeta; i++)
		printf "%s\n    %s: %s", (i > 1 ? "," : ""), jstr(metakeys[i]),
		    jstr(meta[metakeys[i]])
	printf "\n  },\n  \"runs\": %d,\n  \"results\": [", nruns
	first = 1
	for (i = 1; i <= nn; i++) {
		n = nlist[i]
		for (r = 1; r <= nrow; r++) {
			for (k = 1; k <= nimpl; k++) {
				if (impls[k] == "floor" && rfkey[r] == "")
					continue
				if (!stats(rowimpl(r, impls[k]), n,
				    rowkey(r, impls[k]), st))
					continue
				printf "%s\n    {\"n\": %d, \"scenario\": %s, " \
				    "\"metric\": %s, \"unit\": %s, " \
				    "\"impl\": %s, \"median\": %s, " \
				    "\"min\": %s, \"max\": %s, \"runs\": %d, " \
				    "\"ratio_to_floor\": %s",
				    first ? "" : ",", n, jstr(rid[r]),
				    jstr(rlabel[r]), jstr(runit[r]),
				    jstr(impls[k]), jnum(st["median"]),
				    jnum(st["min"]), jnum(st["max"]), st["n"],
				    jnum(floor_ratio(impls[k], st["median"], r, n))
				for (p = 1; p <= npeer; p++) {
					if (peers[p] == impls[k] ||
					    impls[k] == "floor")
						continue
					printf ", \"ratio_to_%s\": %s", peers[p],
					    jnum(ratio(st["median"],
					    med(r, peers[p], n)))
				}
				printf "}"
				first = 0
			}
		}
		split("posix_spawn fork vfork", mm, " ")
		split("s1 s2 s3 s7", cc, " ")
		for (k = 1; k <= 3; k++) {
			for (p = 1; p <= 4; p++) {
				if (!stats("floor", n, "floor_" cc[p] "_" mm[k] \
				    "_ms", st))
					continue
				printf ",\n    {\"n\": %d, \"scenario\": %s, " \
				    "\"metric\": \"floor by method\", " \
				    "\"unit\": \"ms\", \"impl\": %s, " \
				    "\"median\": %s, \"min\": %s, \"max\": %s, " \
				    "\"runs\": %d}", n, jstr(toupper(cc[p])),
				    jstr("floor-" mm[k]), jnum(st["median"]),
				    jnum(st["min"]), jnum(st["max"]), st["n"]
			}
		}
	}
	printf "\n  ],\n  \"targets\": ["
	first = 1
	for (i = 1; i <= nn; i++) {
		n = nlist[i]
		nt = targets(n)
		for (t = 1; t <= nt; t++) {
			printf "%s\n    {\"n\": %d, \"scenario\": %s, " \
			    "\"target\": %s, \"value\": %s, \"shown\": %s, " \
			    "\"verdict\": %s, \"met\": %s}",
			    first ? "" : ",", n, jstr(tg_id[t]),
			    jstr(tg_text[t]), jnum(tg_x[t]), jstr(tg_value[t]),
			    jstr(tg_met[t]), jbool(tg_met[t])
			first = 0
		}
	}
	printf "\n  ],\n  \"errors\": ["
	for (i = 1; i <= nerr; i++)
		printf "%s\n    %s", (i > 1 ? "," : ""), jstr(errors[i])
	printf "%s],\n  \"set_aside\": [", (nerr > 0 ? "\n  " : "")
	for (i = 1; i <= naside; i++)
		printf "%s\n    %s", (i > 1 ? "," : ""), jstr(aside[i])
	printf "%s]\n}\n", (naside > 0 ? "\n  " : "")
}
