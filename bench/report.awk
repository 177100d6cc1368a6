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
# is floor, dinit, dinit-chain, dinit-upstream, dinit-upstream-chain, s6
# or runit.  Every figure is the median of the runs, with its spread
# ((max - min) / median) and its ratio to the floor and to each peer of
# the same bench run.  Each timed phase comes with its wall time, the CPU
# time stolen during it, the load average and the CPUs other work kept
# busy before it: figures of a phase that lost CPU to the hypervisor are
# set aside, figures taken on a busy machine are marked.  Plain POSIX awk.

BEGIN {
	nimpl = split("floor dinit dinit-upstream s6 runit", impls, " ")
	npeer = split("dinit-upstream s6 runit", peers, " ")
	peershort["dinit-upstream"] = "upstream"
	peershort["s6"] = "s6"
	peershort["runit"] = "runit"

	# Other work using more CPUs than this just before a phase marks
	# its figures (on a quiet machine it is a few hundredths).
	BUSY_MAX = 0.25

	# The rows: id, label, unit, floor key, supervisor key, IMPL suffix,
	# and what the figure is per (for linearity): "service" (a total
	# over N services) or "event" (one request or respawn).
	nrow = 0
	row("S1", "S1 parallel start", "ms", "floor_s1_ms", "start_ms", "",
	    "service")
	row("S1w", "S1-warm restart", "ms", "floor_s1_ms", "warmstart_ms", "",
	    "service")
	# S1-warm's stop is S3's work asked for through dinitctl: its floor
	# is S3's, killing and reaping N processes.
	row("S1x", "S1-warm: its stop", "ms", "floor_s3_ms", "warmstop_ms", "",
	    "service")
	row("S2", "S2 chain start", "ms", "floor_s2_ms", "start_ms", "-chain",
	    "service")
	row("S2s", "S2 chain stop", "ms", "", "stop_ms", "-chain", "service")
	row("S3", "S3 stop all", "ms", "floor_s3_ms", "stop_ms", "",
	    "service")
	row("S4", "S4 private memory", "KiB", "", "mem_private_kib", "", "")
	row("S4s", "S4 private/service", "KiB", "", "mem_private_per_service",
	    "", "event")
	row("S4r", "S4 RSS (sum)", "KiB", "", "mem_rss_kib", "", "")
	row("S5", "S5 dinitctl status", "ms", "", "s5_status_ms", "", "event")
	row("S5l", "S5 dinitctl list", "ms", "", "s5_list_ms", "", "service")
	row("S5v", "S5 dinitctl --version", "ms", "", "s5_version_ms", "", "")
	row("S5t", "S5 /bin/true", "ms", "", "s5_true_ms", "", "")
	row("S6w", "S6 idle wakeups", "count", "", "idle_wakeups", "", "")
	row("S6", "S6 idle syscalls", "count", "", "idle_syscalls", "", "")
	row("S7", "S7 respawn", "ms", "floor_s7_ms", "respawn_ms", "", "event")
	nn = 0
}

# Declare a row of the table.
function row(id, label, unit, fkey, skey, suffix, per) {
	nrow++
	rid[nrow] = id
	rlabel[nrow] = label
	runit[nrow] = unit
	rfkey[nrow] = fkey
	rskey[nrow] = skey
	rsuffix[nrow] = suffix
	rper[nrow] = per
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
		s5_na[impl, n] = 1
		next
	}
	if (key ~ /^s5_.*_failures$/ && $5 + 0 > 0) {
		errors[++nerr] = impl " N=" n " run " run ": " key " " $5
		s5_failed[impl, n] = 1
		next
	}
	if ($5 !~ /^-?[0-9.]+$/) {
		words[impl SUBSEP n SUBSEP key] = $5
		next
	}
	if (key ~ /_(wall_ms|steal_ms|load|busy)$/) {
		phase_note(impl, n, run, key, $5 + 0)
		next
	}
	# Judged at the end: a phase's steal comes after some of its figures
	# (the floor's per-method ones).
	nfig++
	fimpl[nfig] = impl
	fn_[nfig] = n
	frun[nfig] = run
	fkey[nfig] = key
	fval[nfig] = $5
}

# The timed phase a figure belongs to, as the harness names it.
function phase_of(key) {
	if (key ~ /^floor_/)
		return ("floor")
	if (key ~ /^(start|stop|warmstart|warmstop)_ms$/)
		return (substr(key, 1, length(key) - 3))
	if (key ~ /^respawn_/ && key != "respawn_n")
		return ("respawn")
	if (key ~ /^s5_/)
		return ("s5")
	return ("")
}

# Keep what the harness said about a phase ("PHASE_wall_ms", ...).
function phase_note(impl, n, run, key, value,    ph, k) {
	ph = key
	sub(/_(wall_ms|steal_ms|load|busy)$/, "", ph)
	k = impl SUBSEP n SUBSEP run SUBSEP ph
	if (!(k in pseen)) {
		pseen[k] = 1
		plist[++nphase] = k
	}
	if (key ~ /_wall_ms$/)
		pwall[k] = value
	else if (key ~ /_steal_ms$/) {
		psteal[k] = value
		if (value > max_steal)
			max_steal = value
	} else if (key ~ /_load$/) {
		pload[k] = value
		if (nload == 0 || value < min_load)
			min_load = value
		if (nload == 0 || value > max_load)
			max_load = value
		nload++
	} else {
		pbusy[k] = value
		if (value > max_busy)
			max_busy = value
	}
}

# A phase for people: "dinit N=1000 run 1: start".
function phase_name(k,    p) {
	split(k, p, SUBSEP)
	return (sprintf("%s N=%d run %s: %s", p[1], p[2], p[3], p[4]))
}

#
# Whether the hypervisor stole too much CPU during a phase for its figures
# to mean anything: more than 10 ms (one tick of /proc/stat on most
# kernels) and more than 2% of the CPU time the machine had during it.
#
function stolen(k,    cpus) {
	if (!(k in psteal))
		return (0)
	cpus = meta["cpus"] + 0
	if (cpus < 1)
		cpus = 1
	return (psteal[k] > 10 && psteal[k] > 0.02 * pwall[k] * cpus)
}

# Whether other work kept the CPUs busy just before a phase.
function busy(k) {
	return ((k in pbusy) && pbusy[k] > BUSY_MAX)
}

# Whether the load average was above 1 before a phase.
function loaded(k) {
	return ((k in pload) && pload[k] > 1)
}

# Judge every figure against its phase: keep it, set it aside (steal) or
# keep and mark it (a busy or loaded machine).
function judge_figures(    i, k, fk, impl, n, key) {
	for (i = 1; i <= nphase; i++) {
		k = plist[i]
		if (stolen(k))
			aside[++naside] = sprintf("%s: %.0f ms of CPU stolen " \
			    "in %.0f ms", phase_name(k), psteal[k], pwall[k])
		else if (busy(k))
			marked[++nmarked] = sprintf("%s: other work kept " \
			    "%.2f CPUs busy before it (load average %.2f)",
			    phase_name(k), pbusy[k], pload[k])
		else if (loaded(k)) {
			lmarked[++nlmarked] = sprintf("%s: load average " \
			    "%.2f, CPUs busy before it %.2f", phase_name(k),
			    pload[k], pbusy[k])
		}
	}
	for (i = 1; i <= nfig; i++) {
		impl = fimpl[i]; n = fn_[i]; key = fkey[i]
		if (phase_of(key) != "") {
			k = impl SUBSEP n SUBSEP frun[i] SUBSEP phase_of(key)
			if (stolen(k))
				continue
			fk = impl SUBSEP n SUBSEP key
			if (busy(k))
				flag_busy[fk] = 1
			else if (loaded(k))
				flag_load[fk] = 1
		}
		keep(impl, n, frun[i], key, fval[i])
		if (key == "mem_private_kib")
			keep(impl, n, frun[i], "mem_private_per_service",
			    fval[i] / n)
	}
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

# Median of a row (by id) for dinit.
function dmed(id, n) {
	return (med(rowof(id), "dinit", n))
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

# The mark of a cell: "!" other work ran, "~" load average above 1.
function mark(r, impl, n,    fk) {
	fk = rowimpl(r, impl) SUBSEP n SUBSEP rowkey(r, impl)
	if (fk in flag_busy)
		return (" !")
	if (fk in flag_load)
		return (" ~")
	return ("")
}

# One cell of the table: median, spread, ratio to the floor, mark.
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
	return (s mark(r, impl, n))
}

# A target: dinit's figure of row id over the floor's, at most max.
function floor_target(t, id, text, max,    x) {
	tg_id[t] = id
	tg_text[t] = text
	x = ratio(dmed(id, tg_n), med(rowof(id), "floor", tg_n))
	judge(t, x, x == "" ? "" : x <= max, "%.2fx")
}

# A target: dinit's figure of row id less that of row base, at most max
# ms (S5 targets, which also say when there is no dinitctl).
function margin_target(t, id, text, base, max,    d, v, x) {
	tg_id[t] = id
	tg_text[t] = text
	d = dmed(id, tg_n)
	v = dmed(base, tg_n)
	x = (d == "" || v == "") ? "" : d - v
	judge(t, x, x == "" ? "" : x <= max, "%+.3f ms")
	s5_verdict(t, tg_n)
}

# Judge the targets for dinit at n: fills tg_* arrays, returns how many.
function targets(n,    t, x, st) {
	tg_n = n
	t = 0
	floor_target(++t, "S1", "S1 <= 1.5x floor", 1.5)
	floor_target(++t, "S1w", "S1-warm <= 1.5x floor", 1.5)
	floor_target(++t, "S2", "S2 start <= 1.5x serial floor", 1.5)

	t++; tg_id[t] = "S2s"; tg_text[t] = "S2 stop <= S2 start"
	x = ratio(dmed("S2s", n), dmed("S2", n))
	judge(t, x, x == "" ? "" : x <= 1, "%.2fx start")

	floor_target(++t, "S3", "S3 <= 1.3x floor kill+reap", 1.3)

	t++; tg_id[t] = "S4"
	tg_text[t] = "S4 <= 1.1 KiB private/service at N=1000"
	x = dmed("S4s", n)
	judge(t, x, x == "" ? "" : n == 1000 ? x <= 1.1 : "info", "%.2f KiB")

	margin_target(++t, "S5", "S5 status <= --version + 0.1 ms", "S5v",
	    0.1)

	t++; tg_id[t] = "S5l"; tg_text[t] = "S5 list < 5 ms at N=5000"
	x = dmed("S5l", n)
	judge(t, x, x == "" ? "" : n == 5000 ? x < 5 : "info", "%.2f ms")
	s5_verdict(t, n)

	# /bin/true is linked against the C library alone; 0.05 ms is less
	# than one more small shared library costs to load (bench/README).
	margin_target(++t, "S5v", "dinitctl --version <= /bin/true + 0.05 ms",
	    "S5t", 0.05)

	t++; tg_id[t] = "S6"; tg_text[t] = "S6 zero syscalls while idle"
	if (stats("dinit", n, "idle_syscalls", st))
		judge(t, st["max"], st["max"] == 0, "%d")
	else
		judge(t, "", "", "")

	floor_target(++t, "S7", "S7 <= 2x floor respawn", 2)
	return (t)
}

# An S5 target without a dinitctl, or with one that failed.
function s5_verdict(t, n) {
	if (("dinit" SUBSEP n) in s5_na) {
		tg_value[t] = "n/a (no dinitctl)"
		tg_met[t] = "n/a"
	} else if (("dinit" SUBSEP n) in s5_failed)
		tg_met[t] = "invalid (dinitctl failed)"
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

# A row's figure per unit of N for impl at n ("" when not measured).
function per_unit(r, impl, n,    x) {
	x = med(r, impl, n)
	if (x == "" || rper[r] == "event")
		return (x)
	return (x / n)
}

# The figure linearity is judged on, for impl at n: the issue's figure
# itself.  Where the row has a floor, that is the ratio to the floor
# measured in the same trial, so what the kernel's own fork, exec and
# reaping cost at this N is divided out (the floor per service grows
# too, about 1.2x from 1,000 to 10,000 processes); for S5 status it is
# what the request adds to the same tool doing no IPC (status minus
# --version), since every exec, /bin/true's included, slows as the
# machine holds more processes.  Else the per-unit figure.
function judged_unit(r, impl, n,    x, v) {
	if (rfkey[r] != "")
		return (floor_ratio(impl, med(r, impl, n), r, n))
	if (rid[r] == "S5") {
		x = med(r, impl, n)
		v = med(rowof("S5v"), impl, n)
		if (x == "" || v == "")
			return ("")
		return (x - v)
	}
	return (per_unit(r, impl, n))
}

# Linearity at n against N = 1000 for dinit (and, for context, the floor
# and upstream dinit): fills ln_* arrays, returns how many rows.  ln_raw
# is the per-unit cost in ms or KiB; ln_x, judged, the figure above.
function linearity(n,    r, l, x) {
	l = 0
	for (r = 1; r <= nrow; r++) {
		if (rper[r] == "")
			continue
		x = ratio(judged_unit(r, "dinit", n),
		    judged_unit(r, "dinit", 1000))
		if (x == "")
			continue
		l++
		ln_id[l] = rid[r]
		ln_label[l] = rlabel[r]
		ln_x[l] = x
		ln_raw[l] = ratio(per_unit(r, "dinit", n),
		    per_unit(r, "dinit", 1000))
		ln_how[l] = rfkey[r] != "" ? "of floor" : \
		    (rid[r] == "S5" ? "over IPC" : "per unit")
		ln_floor[l] = ratio(per_unit(r, "floor", n),
		    per_unit(r, "floor", 1000))
		ln_up[l] = ratio(judged_unit(r, "dinit-upstream", n),
		    judged_unit(r, "dinit-upstream", 1000))
		if (n <= 1000)
			ln_met[l] = "info"
		else
			ln_met[l] = x <= 1.2 ? "met" : "MISSED"
	}
	return (l)
}

# A ratio for people, "-" when missing.
function rtext(x) {
	return (x == "" ? "-" : sprintf("%.2fx", x))
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
	judge_figures()
	nruns = 0
	for (r in runs_seen)
		nruns++
	if (mode == "json")
		report_json()
	else
		report_text()
}

function report_text(    i, k, n, r, c, w, t, nt, x, m, st, l, nl) {
	printf "dinit benchmarks: %s, %s, %s CPUs, dinit %s (%s)\n",
	    meta["date"], meta["kernel"], meta["cpus"], meta["dinit_commit"],
	    meta["dinit_path"]
	printf "peers: %s (s6 %s, runit %s); %s run(s); idle window %s s; " \
	    "%s respawn samples; tiny static: %s\n", meta["peers"],
	    meta["s6_version"], meta["runit_version"], nruns, meta["idle_s"],
	    meta["respawn_samples"], meta["tiny_static"]
	if (meta["upstream_version"] != "")
		printf "upstream dinit: %s, %s (%s)\n", meta["upstream_version"],
		    meta["upstream_commit"], meta["upstream_path"]
	printf "load average before the run: %s; after: %s%s\n",
	    meta["load_before"], meta["load_after"],
	    meta["force"] == "yes" ? " (run with --force)" : ""
	if (nload > 0)
		printf "load average before the timed phases: %.2f to %.2f; " \
		    "CPUs other work kept busy before them: at most %.2f\n",
		    min_load, max_load, max_busy
	printf "CPU steal: at most %.0f ms in one phase; %d phase(s) set " \
	    "aside\n", max_steal, naside
	if (nmarked > 0)
		printf "*** %d phase(s) taken while other work kept more than " \
		    "%.2f CPUs busy: their figures are marked ! ***\n", nmarked,
		    BUSY_MAX
	if (nlmarked > 0)
		printf "*** %d phase(s) began with the load average above 1: " \
		    "their figures are marked ~ ***\n", nlmarked
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
			printf " %-14s", "dinit/" peershort[peers[k]]
		printf "\n"
		for (r = 1; r <= nrow; r++) {
			printf "%-24s %-5s", rlabel[r], runit[r]
			for (k = 1; k <= nimpl; k++)
				printf " %-22s", cell(r, impls[k], n)
			for (k = 1; k <= npeer; k++)
				printf " %-14s", rtext(ratio(med(r, "dinit", n),
				    med(r, peers[k], n)))
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
		if (n == 1000)
			continue
		nl = linearity(n)
		if (nl == 0) {
			printf "linearity: n/a (no N = 1000 in this run)\n"
			continue
		}
		printf "linearity at N = %d against N = 1000, target <= " \
		    "1.2x, judged on the figure: its ratio to the floor\n" \
		    "(of floor), the IPC's cost over --version for S5 " \
		    "status (over IPC), else per unit; raw: per service\n" \
		    "(per request for S5 status, per respawn for S7) in ms " \
		    "or KiB; the floor's own and upstream dinit's (judged " \
		    "alike)\nfor context:\n", n
		for (l = 1; l <= nl; l++)
			printf "  %-24s dinit %-6s %-9s %-7s raw %-6s floor " \
			    "%-6s upstream %s\n", ln_label[l],
			    rtext(ln_x[l]), ln_how[l], ln_met[l],
			    rtext(ln_raw[l]), rtext(ln_floor[l]),
			    rtext(ln_up[l])
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
	if (nmarked > 0) {
		printf "\n! taken while other work kept more than %.2f CPUs " \
		    "busy:\n", BUSY_MAX
		for (i = 1; i <= nmarked; i++)
			printf "  %s\n", marked[i]
	}
	if (nlmarked > 0) {
		printf "\n~ taken with the load average above 1 (the CPUs " \
		    "were idle just before:\n  the load is that of the " \
		    "last minute, the bench's own bursts included):\n"
		for (i = 1; i <= nlmarked; i++)
			printf "  %s\n", lmarked[i]
	}
}

function report_json(    i, k, n, r, p, st, first, nt, t, x, sep, l, nl,
    mm, cc, q, pp) {
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
				    "\"mark\": %s, \"ratio_to_floor\": %s",
				    first ? "" : ",", n, jstr(rid[r]),
				    jstr(rlabel[r]), jstr(runit[r]),
				    jstr(impls[k]), jnum(st["median"]),
				    jnum(st["min"]), jnum(st["max"]), st["n"],
				    jstr(substr(mark(r, impls[k], n), 2)),
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
		if (n == 1000)
			continue
		nl = linearity(n)
		for (l = 1; l <= nl; l++) {
			printf ",\n    {\"n\": %d, \"scenario\": %s, " \
			    "\"target\": %s, \"value\": %s, " \
			    "\"raw\": %s, \"floor\": %s, \"upstream\": %s, " \
			    "\"verdict\": %s, \"met\": %s}", n,
			    jstr(ln_id[l]), jstr("linear: figure " ln_how[l] \
			    " <= 1.2x N=1000"), jnum(ln_x[l]), jnum(ln_raw[l]),
			    jnum(ln_floor[l]),
			    jnum(ln_up[l]), jstr(ln_met[l]), jbool(ln_met[l])
		}
	}
	printf "\n  ],\n  \"phases\": ["
	for (i = 1; i <= nphase; i++) {
		q = plist[i]
		split(q, pp, SUBSEP)
		printf "%s\n    {\"impl\": %s, \"n\": %d, \"run\": %d, " \
		    "\"phase\": %s, \"wall_ms\": %s, \"steal_ms\": %s, " \
		    "\"load\": %s, \"busy_cpus\": %s}", (i > 1 ? "," : ""),
		    jstr(pp[1]), pp[2], pp[3], jstr(pp[4]),
		    jnum(q in pwall ? pwall[q] : ""),
		    jnum(q in psteal ? psteal[q] : ""),
		    jnum(q in pload ? pload[q] : ""),
		    jnum(q in pbusy ? pbusy[q] : "")
	}
	printf "%s]", (nphase > 0 ? "\n  " : "")
	jlist("errors", errors, nerr)
	jlist("set_aside", aside, naside)
	jlist("marked_busy", marked, nmarked)
	jlist("marked_load", lmarked, nlmarked)
	printf "\n}\n"
}

# A JSON list of strings v[1..m], as the member name of the object.
function jlist(name, v, m,    i) {
	printf ",\n  %s: [", jstr(name)
	for (i = 1; i <= m; i++)
		printf "%s\n    %s", (i > 1 ? "," : ""), jstr(v[i])
	printf "%s]", (m > 0 ? "\n  " : "")
}
