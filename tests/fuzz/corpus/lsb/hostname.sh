#!/bin/sh
### BEGIN INIT INFO
# Provides:          hostname
# Required-Start:
# Required-Stop:
# Should-Start:      glibc
# Default-Start:     S
# Default-Stop:
# Short-Description: Set hostname based on /etc/hostname
### END INIT INFO

# A fixture of dinit-import's tests, modelled on Debian's init.d/hostname.sh:
# it writes to $IMPORT_LOG when it starts and when it stops.

name=hostname
log=${IMPORT_LOG:-/dev/null}

case "$1" in
start)
	echo "start $name" >>"$log"
	;;
stop)
	echo "stop $name" >>"$log"
	;;
restart|force-reload|status)
	;;
*)
	echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2
	exit 3
	;;
esac
exit 0
