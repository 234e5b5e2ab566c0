# bash completion for nsinspect(8)                         -*- shell-script -*-
#
# Installed as /usr/share/bash-completion/completions/nsinspect (make install),
# or sourced from ~/.bashrc. Needs bash 4.2 or newer, not the bash-completion
# package.
#
# Column names are asked of the nsinspect being completed (nsinspect -H -r),
# so they follow the binary; the list in _nsinspect_columns is the fallback
# where it cannot be run. completions_test.go keeps that list, the options and
# the namespace types in step with the Go code.

# _nsinspect_bin CMD prints the nsinspect to ask: the command word as typed if
# it is a path, else the one on PATH; nothing if there is none.
_nsinspect_bin()
{
	local bin=$1
	if [[ $bin == */* ]]; then
		[[ $bin == '~/'* ]] && bin=$HOME/${bin#'~/'}
		[[ -x $bin ]] && printf '%s\n' "$bin"
		return 0
	fi
	type -P -- "${bin:-nsinspect}" 2>/dev/null
	return 0
}

# _nsinspect_columns BIN prints the output column names, one a line.
_nsinspect_columns()
{
	local name rest
	local -a names=()
	if [[ $1 ]]; then
		# "NAME <type> description", the description escaped (\x20).
		while read -r name rest; do
			[[ $name == [A-Z]* ]] && names+=("$name")
		done < <("$1" -H -r 2>/dev/null)
	fi
	if ((${#names[@]} == 0)); then
		# BEGIN generated: columns (make generate writes it from the column registry, internal/query)
		local -a fallback=(NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID
			NSFS PNS ONS HOSTNAME DOMAINNAME UIDMAP GIDMAP CREATOR LEVEL IFACES
			TIMEOFFSETS CONTAINER CONTAINERID POD ROOT MOUNTS IPCOBJS CGROUPROOT HOST NSPID)
		# END generated: columns
		names=("${fallback[@]}")
	fi
	printf '%s\n' "${names[@]}"
}

# _nsinspect_list CUR PRE ITEM... completes the last item of the
# comma-separated list CUR from the ITEMs, case-insensitively, keeping what
# comes before it (and PRE, an option glued to the list, as in -oNS,TY). A
# leading + (append to the default columns) is kept too; items already in
# the list are not offered again.
_nsinspect_list()
{
	local cur=$1 pre=$2 head= last item seen
	shift 2
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
	elif [[ $cur == +* ]]; then
		head=+
	fi
	last=${cur:${#head}}
	seen=,${head#+}
	seen=${seen,,}
	for item; do
		[[ $seen == *",${item,,},"* ]] && continue
		[[ ${item,,} == "${last,,}"* ]] && COMPREPLY+=("$pre$head$item")
	done
	# Let the list go on: no space after an item.
	((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
	return 0
}

# _nsinspect_procfs prints the --procfs given on the command line, or /proc.
_nsinspect_procfs()
{
	local i root=/proc w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == --procfs ]]; then
			# "--procfs=DIR" comes as "--procfs" "=" "DIR".
			if [[ ${COMP_WORDS[i+1]} == = ]]; then
				((i + 2 < COMP_CWORD)) && root=${COMP_WORDS[i+2]}
			elif ((i + 1 < COMP_CWORD)); then
				root=${COMP_WORDS[i+1]}
			fi
		elif [[ $w == --procfs=?* ]]; then
			root=${w#--procfs=}
		fi
	done
	[[ $root == '~/'* ]] && root=$HOME/${root#'~/'}
	printf '%s\n' "$root"
}

# _nsinspect_types prints the -t/--type values on the command line, joined
# by commas.
_nsinspect_types()
{
	local i w types=
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-t | --type)
			((i + 1 < COMP_CWORD)) || continue
			w=${COMP_WORDS[i+1]}
			if [[ $w == = ]] && ((i + 2 < COMP_CWORD)); then
				w=${COMP_WORDS[i+2]}
			fi
			;;
		--type=?*) w=${w#--type=} ;;
		-t?*) w=${w#-t} ;;
		*) continue ;;
		esac
		[[ $w == [a-z]* ]] && types+=${types:+,}$w
	done
	printf '%s\n' "$types"
}

# _nsinspect_namespaces BIN ROOT TYPES sets _nsinspect_ns to the inode
# numbers of the namespaces of the given types (all if empty) below ROOT:
# those nsinspect lists, or else those of the processes' ns links. A scan
# reads every process, so its result is kept for a few seconds: readline asks
# again on the second TAB.
_nsinspect_namespaces()
{
	local bin=$1 root=$2 types=$3 out=
	if [[ $1$'\n'$2$'\n'$3 == "${_nsinspect_ns_key-}" ]] &&
		((SECONDS - ${_nsinspect_ns_time:-0} < 10)); then
		return 0
	fi
	if [[ $bin ]]; then
		out=$("$bin" --procfs "$root" ${types:+--type "$types"} -r -n -l -o NS 2>/dev/null)
	fi
	if [[ -z $out ]]; then
		local -a dirs=("$root"/[0-9]*/ns) names=()
		local t
		for t in ${types//,/ }; do
			names+=(${names[0]:+-o} -name "$t")
		done
		# Each link reads "type:[inode]".
		[[ -d ${dirs[0]} ]] &&
			out=$(find "${dirs[@]}" -mindepth 1 -maxdepth 1 -type l \
				${names[0]:+\(} "${names[@]}" ${names[0]:+\)} \
				-printf '%l\n' 2>/dev/null |
				sed -n 's/^[a-z]*:\[\([0-9]*\)\]$/\1/p' | sort -u)
	fi
	_nsinspect_ns=$out
	_nsinspect_ns_key=$1$'\n'$2$'\n'$3
	_nsinspect_ns_time=$SECONDS
}

_nsinspect()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= opt= pre= glued=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	# An option's argument: "--tree=own" comes as "--tree" "=" "own" (as
	# long as '=' is in COMP_WORDBREAKS), "-oNS,TY" as one word, "-lo NS" as
	# two.
	if [[ $cur == = ]]; then
		opt=$prev cur= glued=1
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD-2]} glued=1
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} pre=$opt= cur=${cur#*=} glued=1
	elif [[ $cur =~ ^(-[JlnPruWHhV]*[otpQ])(.+)$ ]]; then
		opt=-${BASH_REMATCH[1]: -1} pre=${BASH_REMATCH[1]} cur=${BASH_REMATCH[2]} glued=1
	elif [[ $prev =~ ^-[JlnPruWHhV]*([otpQ])$ ]]; then
		opt=-${BASH_REMATCH[1]}
	elif [[ $prev == --* ]]; then
		opt=$prev
	fi

	case $opt in
	-o | --output)
		local -a cols
		mapfile -t cols < <(_nsinspect_columns "$(_nsinspect_bin "$1")")
		_nsinspect_list "$cur" "$pre" "${cols[@]}"
		return 0
		;;
	-t | --type)
		_nsinspect_list "$cur" "$pre" mnt net ipc user pid uts cgroup time
		return 0
		;;
	-T | --tree)
		# Only "-T=REL" and "--tree=REL": a separate word after -T is the
		# <namespace> argument, as in lsns.
		if [[ $glued ]]; then
			local rel
			for rel in owner parent process; do
				[[ $rel == "$cur"* ]] && COMPREPLY+=("$pre$rel")
			done
			return 0
		fi
		;;
	-p | --task)
		local d
		local -a pids=()
		for d in "$(_nsinspect_procfs)"/[0-9]*; do
			[[ -d $d ]] && pids+=("${d##*/}")
		done
		mapfile -t COMPREPLY < <(compgen -P "$pre" -W "${pids[*]}" -- "$cur")
		return 0
		;;
	--procfs | --rootfs)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return 0
		;;
	--metrics)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	-Q | --filter | --interval)
		# A filter expression, a duration: nothing to offer.
		return 0
		;;
	--graph)
		# Only "--graph=FORMAT": a separate word is the <namespace>
		# argument, as after -T.
		if [[ $glued ]]; then
			local format
			for format in dot mermaid; do
				[[ $format == "$cur"* ]] && COMPREPLY+=("$pre$format")
			done
			return 0
		fi
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W '
			-J --json
			-l --list
			-n --noheadings
			-o --output
			--output-all
			-P --persistent
			-p --task
			-Q --filter
			-r --raw
			-u --notruncate
			-W --nowrap
			-t --type
			-T --tree
			--threads
			--graph
			--procfs
			--rootfs
			--metrics
			--interval
			-H --list-columns
			-h --help
			-V --version
		' -- "$cur")
		return 0
	fi

	# The <namespace> argument: an inode number.
	_nsinspect_namespaces "$(_nsinspect_bin "$1")" "$(_nsinspect_procfs)" "$(_nsinspect_types)"
	mapfile -t COMPREPLY < <(compgen -W "$_nsinspect_ns" -- "$cur")
	return 0
}

complete -F _nsinspect nsinspect
