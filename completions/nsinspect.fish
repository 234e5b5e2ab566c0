# fish completion for nsinspect(8). Installed as
# /usr/share/fish/vendor_completions.d/nsinspect.fish (make install).
#
# Column names and their descriptions are asked of nsinspect (nsinspect -H),
# so they follow the binary; the fallback list below is used where it cannot
# be run. completions_test.go keeps that list, the options and the namespace
# types in step with the Go code.

# __nsinspect_columns prints the output columns, "NAME<TAB>description".
function __nsinspect_columns
    set -l cols
    if command -q nsinspect
        # "NAME <type> description", the cells aligned by blanks.
        set cols (command nsinspect -H 2>/dev/null | string trim --left |
            string replace -rf '^([A-Z][A-Z0-9_]*)\s+<[^>]*>\s+' '$1\t')
    end
    if not set -q cols[1]
        # BEGIN generated: columns (make generate writes it from the column registry, internal/query)
        set -l fallback NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID \
            NSFS PNS ONS HOSTNAME DOMAINNAME UIDMAP GIDMAP CREATOR LEVEL IFACES \
            TIMEOFFSETS CONTAINER CONTAINERID POD ROOT MOUNTS IPCOBJS CGROUPROOT HOST NSPID
        # END generated: columns
        set cols $fallback
    end
    printf '%s\n' $cols
end

# __nsinspect_types prints the namespace types.
function __nsinspect_types
    printf '%s\n' mnt net ipc user pid uts cgroup time
end

# __nsinspect_list PRINTER completes the last item of a comma-separated list
# (columns after -o, types after -t) from what PRINTER prints, keeping the
# items before it and a leading + (append to the default columns). Items
# already in the list are not offered again.
function __nsinspect_list --argument-names printer
    # fish hands over "--output=NS,TY" and "-oNS,TY" whole, but matches what
    # we print against the part after the option.
    set -l tok (commandline -ct | string replace -r -- '^(--[^=]*=|-[JlnPruWHhV]*[otpQ])' '')
    set -l head (string match -r -- '^\+?(?:[^,]*,)*' "$tok")
    set head "$head"
    set -l seen (string split , -- (string upper -- (string trim -l -c + -- "$head")))
    for item in ($printer)
        set -l name (string split -m1 \t -- $item)[1]
        contains -- $name $seen; and continue
        printf '%s%s\n' $head $item
    end
end

# __nsinspect_arg OPTION... prints the values given so far on the command
# line to the named options (as --procfs or -t), one a line.
function __nsinspect_arg
    set -l words (commandline -opc)
    set -e words[1]
    set -l want 0
    for w in $words
        if test $want = 1
            printf '%s\n' $w
            set want 0
        else if contains -- $w $argv
            set want 1
        else
            for o in $argv
                if string match -q -- '--*' $o
                    string replace -rf -- "^$o=" '' $w
                else
                    string replace -rf -- "^$o(.+)" '$1' $w
                end
            end
        end
    end
end

# __nsinspect_namespaces prints the inode numbers of the namespaces that
# nsinspect lists (of the types given with -t), "INODE<TAB>type"; without
# nsinspect, those of the processes' ns links.
function __nsinspect_namespaces
    set -l procfs (__nsinspect_arg --procfs)
    set -q procfs[1]; or set procfs /proc
    set procfs $procfs[-1]
    set -l types (__nsinspect_arg -t --type)
    # (string with no arguments would read standard input)
    set -q types[1]; and set types (string join , -- $types)
    set -l out
    if command -q nsinspect
        set -l args -r -n -l -o NS,TYPE --procfs $procfs
        set -q types[1]; and set -a args --type $types
        set out (command nsinspect $args 2>/dev/null | string replace ' ' \t)
    end
    if not set -q out[1]
        # Each /proc/PID/ns/* link reads "type:[inode]".
        set -l dirs $procfs/*/ns
        set -q dirs[1]; and set out (find $dirs -mindepth 1 -maxdepth 1 -type l -printf '%l\n' 2>/dev/null |
            string replace -rf '^(\w+):\[(\d+)\]$' '$2\t$1' | sort -u)
    end
    printf '%s\n' $out
end

complete -c nsinspect -f
complete -c nsinspect -s J -l json -d 'Use JSON output format'
complete -c nsinspect -s l -l list -d 'Use list format output'
complete -c nsinspect -s n -l noheadings -d "Don't print headings"
complete -c nsinspect -s o -l output -x -a '(__nsinspect_list __nsinspect_columns)' -d 'Define which output columns to use'
complete -c nsinspect -l output-all -d 'Output all columns'
complete -c nsinspect -s P -l persistent -d 'Only namespaces without processes'
complete -c nsinspect -s p -l task -x -a '(__fish_complete_pids)' -d 'Only the namespaces of a process'
complete -c nsinspect -s Q -l filter -x -d 'Only the namespaces that match an expression'
complete -c nsinspect -s r -l raw -d 'Use the raw output format'
complete -c nsinspect -s u -l notruncate -d "Don't truncate text in columns"
complete -c nsinspect -s W -l nowrap -d "Don't use multi-line representation"
complete -c nsinspect -s t -l type -x -a '(__nsinspect_list __nsinspect_types)' -d 'Only namespaces of a type'
# An optional argument: only as --tree=REL (fish offers "--tree="); a
# separate word after -T is the <namespace> argument, as in lsns.
complete -c nsinspect -s T -l tree -f -a 'owner parent process' -d 'Use tree format (owner by default)'
complete -c nsinspect -l threads -d 'Also find namespaces that only a thread is in'
# As --tree: the format only as --graph=FORMAT.
complete -c nsinspect -l graph -f -a 'dot mermaid' -d 'Draw a graph instead of the list'
complete -c nsinspect -l procfs -x -a '(__fish_complete_directories)' -d 'Proc filesystem to inspect'
complete -c nsinspect -l rootfs -x -a '(__fish_complete_directories)' -d "The host's root filesystem, where the engines' state is read"
complete -c nsinspect -l metrics -r -F -d 'Write Prometheus metrics to a file'
complete -c nsinspect -l interval -x -d 'With --metrics, scan again every interval (e.g. 60s)'
complete -c nsinspect -s H -l list-columns -d 'List the available columns'
complete -c nsinspect -s h -l help -d 'Display help'
complete -c nsinspect -s V -l version -d 'Display version'
complete -c nsinspect -n 'not string match -q -- "-*" (commandline -ct)' -a '(__nsinspect_namespaces)'
