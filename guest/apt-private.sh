# A private, throw-away apt configuration for Debian's riscv64 packages,
# sourced by the scripts that fetch Debian packages (fetch-deb.sh,
# resolve-debian.sh, fetch-debian.sh).
# shellcheck shell=bash
#
# apt_private_setup SUITE ARCH: sets APT_TMP (a temp dir, removed at exit) and
# APT_OPTS (the -o options of apt-get/apt-cache), and runs `apt-get update`.
# Everything apt writes (lists, cache, status) is under APT_TMP; the system's
# apt configuration is only read (to find the mirror), never changed. The mirror
# is the first main Debian archive entry in /etc/apt/sources.list{,.d}, or
# GUEST_DEBIAN_MIRROR (e.g. a snapshot archive, for a pin whose packages have
# left the regular mirror).

# Prints the URI of the first enabled "deb" entry that looks like the main Debian
# archive (path ending in /debian, suite not *-security).
apt_find_mirror() {
	local f
	shopt -s nullglob
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && $3 !~ /-security$/ && $2 ~ /\/debian\/?$/ { print $2 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		awk '
			function flush() {
				if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no" &&
				    suites !~ /-security/ && uris != "") {
					n = split(uris, u, /[ \t]+/)
					for (i = 1; i <= n; i++) if (u[i] ~ /\/debian\/?$/) print u[i]
				}
				types = uris = suites = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($0); sub(/:.*/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "$f"
	done
}

apt_private_setup() {
	local suite=$1 arch=$2 mirror
	need_cmd apt-get apt
	need_cmd dpkg-deb dpkg
	need_cmd sha256sum coreutils
	need_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
	check_prereqs
	mirror=${GUEST_DEBIAN_MIRROR:-$(apt_find_mirror | head -n1)}
	[ -n "$mirror" ] || die "no Debian mirror found in the system's apt sources; set GUEST_DEBIAN_MIRROR=<uri of a Debian archive>"
	mirror=${mirror%/}
	APT_TMP=$(mktemp -d)
	# shellcheck disable=SC2064
	trap "rm -rf '$APT_TMP'" EXIT
	chmod 755 "$APT_TMP" # apt drops privileges to _apt for downloads when run as root
	mkdir -p "$APT_TMP/state/lists/partial" "$APT_TMP/cache/archives/partial" "$APT_TMP/prefs.d" "$APT_TMP/dl"
	chmod 777 "$APT_TMP/dl"
	: >"$APT_TMP/state/status"
	echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$APT_TMP/sources.list"
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$APT_TMP/sources.list"
		-o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::Etc::Preferences=/dev/null"
		-o "Dir::Etc::PreferencesParts=$APT_TMP/prefs.d"
		-o "Dir::State=$APT_TMP/state"
		-o "Dir::State::status=$APT_TMP/state/status"
		-o "Dir::Cache=$APT_TMP/cache"
		-o "APT::Architecture=$arch"
		-o "APT::Architectures=$arch"
		-o "APT::Install-Recommends=false"
		-o "APT::Install-Suggests=false"
		-o "Debug::NoLocking=true"
	)
	case $mirror in
	*snapshot*) APT_OPTS+=(-o "Acquire::Check-Valid-Until=false") ;;
	esac
	say APT "$suite/$arch from the configured Debian mirror"
	if ! apt-get -q "${APT_OPTS[@]}" update >"$APT_TMP/update.log" 2>&1 ||
		grep -qE '^(W|E): (Failed|GPG|The repository|Some index)' "$APT_TMP/update.log"; then
		cat "$APT_TMP/update.log" >&2
		die "apt-get update for $suite/$arch failed (network? a debian-archive-keyring that knows $suite?)"
	fi
}
