#!/bin/sh
#
# tests/boot/check-boot.sh: the system boot test.  Boots Debian's kernel
# in QEMU (software emulation) with an initramfs whose /init is our dinit,
# lets it start the services of tests/boot/services (one on the console),
# and reads the serial log for their lines and dinit's clean power-off.
#
# usage: sh tests/boot/check-boot.sh [builddir]
#
# builddir holds dinit, dinitctl and dinit-shutdown (default: $BUILDDIR,
# else "build" at the top of the source tree; relative to the top).
# Exit status: 0 passed, 1 failed, 77 skipped (a tool or the kernel is
# missing and we are not in CI; with CI=true, those fail instead).
#
# Environment:
#	BOOT_CACHE	where the kernel is kept between runs
#			(default: builddir/boot-cache)
#	BOOT_KERNEL	a kernel image to boot instead of Debian's
#	BOOT_TIMEOUT	hard limit on QEMU, in seconds (default: 300)
#	BOOT_APPEND	the end of the kernel command line, after
#			"console=ttyS0 panic=-1 rdinit=/init" (default:
#			"quiet"; set it empty to see the kernel's whole log)
#	BOOT_INIT	dinit (default); "shell" boots a busybox script as
#			/init instead (checks the harness itself), "panic"
#			one that exits (the harness must report the panic)
#	BOOT_SERVICES	the guest's /etc/dinit.d (default: tests/boot/services;
#			for experiments: the checks expect the default set)
#	QEMU		the emulator (default: qemu-system-x86_64)
#
# Needs qemu-system-x86_64, a static busybox, cpio and gzip; apt-get and
# dpkg-deb to fetch the kernel (downloaded and unpacked, never installed).
# Needs no root: the device nodes of the initramfs are written into the
# archive directly.

set -u

BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
BOOT_INIT=${BOOT_INIT:-dinit}
QEMU=${QEMU:-qemu-system-x86_64}

say() {
	printf 'check-boot: %s\n' "$*"
}

fail() {
	printf 'check-boot: FAIL: %s\n' "$*" >&2
	exit 1
}

# Something the test needs is not here: skip, except in CI, where
# everything is installed and a skip would hide a broken setup.
skip() {
	if [ "${CI:-}" = true ]; then
		fail "$* (CI=true: not skipping)"
	fi
	printf 'check-boot: SKIP: %s\n' "$*" >&2
	exit 77
}

top=$(cd "$(dirname "$0")/../.." && pwd) || fail "cannot find the source tree"
here=$top/tests/boot

case $# in
0)	builddir=${BUILDDIR:-build} ;;
1)	builddir=$1 ;;
*)	echo "usage: sh tests/boot/check-boot.sh [builddir]" >&2; exit 2 ;;
esac
case $builddir in
/*)	;;
*)	builddir=$top/$builddir ;;
esac
case $BOOT_INIT in
dinit|shell|panic) ;;
*)	echo "check-boot: BOOT_INIT must be dinit, shell or panic" >&2; exit 2 ;;
esac
case $BOOT_TIMEOUT in
''|*[!0-9]*) echo "check-boot: BOOT_TIMEOUT must be seconds" >&2; exit 2 ;;
esac

# Where this build's dinit looks for its services and its environment
# file (configure decides, from --prefix and --sysconfdir): the first
# system service directory and DINIT_ENV_FILE of the build's config.h.
config_path() {
	sed -n "s/^#define $1 \"\\([^\":]*\\).*/\\1/p" "$builddir/config.h" \
	    2>/dev/null
}
guest_dinitd=$(config_path DINIT_SERVICE_DIRS)
guest_env=$(config_path DINIT_ENV_FILE)
guest_dinitd=${guest_dinitd:-/etc/dinit.d}
guest_env=${guest_env:-/etc/dinit/environment}

cache=${BOOT_CACHE:-$builddir/boot-cache}
services=${BOOT_SERVICES:-$here/services}
work=$builddir/boot-test
root=$work/root
log=$work/serial.log

# --- the tools ------------------------------------------------------------

for tool in "$QEMU" cpio gzip timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done
busybox=
for b in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null)"; do
	if [ -n "$b" ] && [ -x "$b" ] &&
	    ! LC_ALL=C ldd "$b" >/dev/null 2>&1; then
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || skip "no static busybox (install busybox-static)"

if [ "$BOOT_INIT" = dinit ]; then
	for prog in dinit dinitctl dinit-shutdown; do
		[ -x "$builddir/$prog" ] ||
		    fail "$builddir/$prog is missing: build first (make)"
	done
fi

# --- the kernel -----------------------------------------------------------

# Debian's current kernel: linux-image-amd64 depends on the versioned
# package; download that one and unpack its /boot into the cache.
kernel_package() {
	LC_ALL=C apt-cache depends linux-image-amd64 2>/dev/null |
	    sed -n 's/^ *|\{0,1\}Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' |
	    head -n 1
}

fetch_kernel() {
	local_pkg=$1
	[ -n "$local_pkg" ] ||
	    skip "apt-cache knows no linux-image-amd64 (not Debian?)"
	for tool in apt-get dpkg-deb tar; do
		command -v "$tool" >/dev/null 2>&1 ||
		    skip "$tool is not installed"
	done
	mkdir -p "$cache/download" || fail "cannot create $cache"
	say "downloading $local_pkg into $cache"
	rm -f "$cache/download/"*.deb
	# apt-get download as root warns that _apt cannot write here; harmless.
	(cd "$cache/download" && apt-get -q download "$local_pkg") ||
	    skip "apt-get download $local_pkg failed"
	set -- "$cache/download/"*.deb
	[ -f "$1" ] || skip "apt-get download left no package"
	rm -rf "$cache/unpack"
	mkdir -p "$cache/unpack" || fail "cannot create $cache/unpack"
	# Only /boot: the modules are of no use to an initramfs-only boot.
	dpkg-deb --fsys-tarfile "$1" | tar -xf - -C "$cache/unpack" ./boot ||
	    fail "cannot unpack $1"
	set -- "$cache/unpack/boot/vmlinuz-"*
	[ -f "$1" ] || fail "no vmlinuz in $local_pkg"
	mv "$1" "$cache/vmlinuz" || fail "cannot move the kernel into $cache"
	echo "$local_pkg" >"$cache/kernel-package"
	rm -rf "$cache/download" "$cache/unpack"
}

if [ -n "${BOOT_KERNEL:-}" ]; then
	kernel=$BOOT_KERNEL
	[ -r "$kernel" ] || fail "BOOT_KERNEL=$kernel cannot be read"
else
	kernel=$cache/vmlinuz
	pkg=$(kernel_package)
	cached=$(cat "$cache/kernel-package" 2>/dev/null)
	# Reuse the cached kernel, unless Debian has moved on to another one.
	if [ -f "$kernel" ] && { [ -z "$pkg" ] || [ "$pkg" = "$cached" ]; }; then
		say "kernel from the cache: ${cached:-$kernel}"
	else
		fetch_kernel "$pkg"
	fi
fi

# --- the initramfs --------------------------------------------------------

# One newc header and its name; args: name, mode (octal), rdev major,
# rdev minor, inode.  Only for entries without data (directories, nodes).
newc_entry() {
	n=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
	    "$5" "$((0$2))" 0 0 1 0 0 0 0 "$3" "$4" "$n" 0
	printf '%s\000' "$1"
	# The header (110 bytes) and the name end on a multiple of 4.
	pad=$(((4 - (110 + n) % 4) % 4))
	while [ "$pad" -gt 0 ]; do
		printf '\000'
		pad=$((pad - 1))
	done
}

# A small uncompressed archive with /dev/console and /dev/null: mknod would
# need root, the archive does not.  The kernel unpacks archives one after
# the other, so it goes in front of the compressed one.
dev_archive() {
	newc_entry dev 040755 0 0 1
	newc_entry dev/console 020600 5 1 2
	newc_entry dev/null 020666 1 3 3
	newc_entry 'TRAILER!!!' 0 0 0 0
	# Zeros between archives are skipped: pad to a 512-byte block.
	printf '%0512d' 0 | tr 0 '\000'
}

# Copy a dynamically linked program's libraries (and the loader) into the
# initramfs at the same paths.
copy_libs() {
	LC_ALL=C ldd "$1" 2>/dev/null |
	    sed -n -e 's/^.*=> \(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")" &&
		    cp -L "$lib" "$root$lib" || exit 1
	done
}

rm -rf "$work"
mkdir -p "$root" || fail "cannot create $root"
(cd "$root" && mkdir -p bin sbin etc/dinit etc/dinit.d dev proc sys run \
    tmp root ".$guest_dinitd" ".$(dirname "$guest_env")") ||
    fail "cannot lay out $root"
cp "$busybox" "$root/bin/busybox" || fail "cannot copy busybox"
# Every applet but the ones that would end the machine or be init: the
# power-off is dinit's job.
for applet in $("$busybox" --list); do
	case $applet in
	busybox|init|linuxrc|halt|poweroff|reboot) continue ;;
	esac
	ln -s busybox "$root/bin/$applet" || fail "cannot link $applet"
done

case $BOOT_INIT in
dinit)
	for prog in dinit dinitctl dinit-shutdown; do
		cp "$builddir/$prog" "$root/sbin/$prog" &&
		    copy_libs "$builddir/$prog" ||
		    fail "cannot copy $prog and its libraries"
	done
	ln -s sbin/dinit "$root/init" || fail "cannot link /init"
	cp "$services/"* "$root$guest_dinitd/" &&
	    cp "$here/environment" "$root$guest_env" ||
	    fail "cannot copy the service descriptions"
	;;
shell)
	cat >"$root/init" <<-'EOF'
	#!/bin/sh
	export PATH=/bin
	mount -t proc proc /proc
	echo "BOOT-TEST: shell init ran as pid $$ on $(tty)"
	echo "BOOT-TEST: init arguments: $*"
	exec busybox poweroff -f
	EOF
	chmod +x "$root/init"
	;;
panic)
	printf '#!/bin/sh\necho "BOOT-TEST: init exits"\nexit 1\n' \
	    >"$root/init"
	chmod +x "$root/init"
	;;
esac

initrd=$work/initrd.img
{
	dev_archive
	(cd "$root" && find . -mindepth 1 | sed 's,^\./,,' | LC_ALL=C sort |
	    cpio -o -H newc -R 0:0 --quiet | gzip -n -6) ||
	    exit 1
} >"$initrd" || fail "cannot build the initramfs"
say "initramfs: $(wc -c <"$initrd") bytes ($BOOT_INIT as /init)"

# --- the boot -------------------------------------------------------------

append="console=ttyS0 panic=-1 rdinit=/init ${BOOT_APPEND-quiet}"
say "booting $kernel (software emulation, limit ${BOOT_TIMEOUT}s)"
say "kernel command line: $append"
start=$(date +%s)
# No KVM: plain TCG, so the test runs the same everywhere.  The guest's
# power-off (ACPI) and, with -no-reboot, a panic's reboot end QEMU.
timeout -k 10 "$BOOT_TIMEOUT" "$QEMU" -accel tcg -m 512M -smp 2 \
    -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$log" -monitor none \
    -kernel "$kernel" -initrd "$initrd" -append "$append" \
    </dev/null >"$work/qemu.out" 2>&1
status=$?
elapsed=$(($(date +%s) - start))
say "QEMU exited with status $status after ${elapsed}s"

# --- the verdict ----------------------------------------------------------

# The serial log ends lines with CR LF (and may hold NUL bytes).
tr -d '\r\000' <"$log" >"$work/serial.txt" 2>/dev/null || : >"$work/serial.txt"

problems=0
problem() {
	printf 'check-boot: %s\n' "$*" >&2
	problems=$((problems + 1))
}

expect() {
	if grep -qF -- "$1" "$work/serial.txt"; then
		say "found: $1"
	else
		problem "missing from the serial log: $1"
	fi
}

case $status in
0)	;;
124|137) problem "QEMU did not end within ${BOOT_TIMEOUT}s" ;;
*)	problem "QEMU failed (status $status):"
	sed 's/^/    /' "$work/qemu.out" >&2 ;;
esac
if grep -qF '[FAILED]' "$work/serial.txt"; then
	problem "a service failed:"
	grep -F '[FAILED]' "$work/serial.txt" | sed 's/^/    /' >&2
fi
if grep -q 'Kernel panic' "$work/serial.txt"; then
	problem "the kernel panicked:"
	grep -A 3 'Kernel panic' "$work/serial.txt" | sed 's/^/    /' >&2
fi

case $BOOT_INIT in
dinit)
	for svc in mounts ticker console poweroff boot; do
		expect "[  OK  ] $svc"
	done
	expect "BOOT-TEST: tick 3"
	expect "BOOT-TEST: console service ran; pid 1 is /sbin/dinit; PATH=/sbin:/bin"
	expect "BOOT-TEST: all services up; asking for a power-off"
	expect "[STOPPD] ticker"
	expect "Will power down"
	;;
shell|panic)
	expect "BOOT-TEST: shell init ran as pid 1 on /dev/console"
	;;
esac
expect "reboot: Power down"

if [ "$problems" -ne 0 ]; then
	echo "check-boot: the last lines of the serial log ($log):" >&2
	tail -n 60 "$work/serial.txt" | sed 's/^/    /' >&2
	echo "check-boot: FAIL ($problems problem(s), ${elapsed}s)" >&2
	exit 1
fi
say "PASS: booted, ran the services and powered off in ${elapsed}s"
exit 0
