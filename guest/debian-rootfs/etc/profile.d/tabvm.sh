# TabVM Debian guest: login shells (read by /etc/profile).
# (busybox init passes on the kernel's HOME=/)
if [ "$HOME" = / ] && [ "${EUID:-$(id -u)}" = 0 ]; then export HOME=/root; fi
export TERM=xterm-256color
export LANG=C.UTF-8
export PAGER=less
# The prompt is relied upon by the emulator and the tests: "root@tabvm:~# "
# (the same as /etc/bash.bashrc's, without a chroot name).
if [ -n "${BASH_VERSION-}" ]; then
	PS1='\u@\h:\w\$ '
	# No bracketed-paste escapes around each prompt/command line (keeps the
	# output of commands typed by a harness clean).
	case $- in *i*) bind 'set enable-bracketed-paste off' 2>/dev/null ;; esac
fi
[ "$PWD" = / ] && cd "$HOME"
