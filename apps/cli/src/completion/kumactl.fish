# fish completion for kumactl.
# Enable it in the current shell:  kumactl completion fish | source
# and in every new one:            kumactl completion fish > ~/.config/fish/completions/kumactl.fish
#
# Every TAB asks `kumactl __complete <words...>` for the candidates of the
# last word: one per line (`word<TAB>description`), then `:<directive>`
# (`:0` = complete file names when there is no candidate).

function __kumactl_complete
    set -l args (commandline -opc)
    set -l program $args[1]
    set -e args[1]
    set -l current (commandline -ct)
    set -l out ($program __complete $args "$current" 2>/dev/null)
    or return
    set -l directive (string replace ':' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0 -a "$directive" = 0
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end

complete -c kumactl -e
complete -c kumactl -f -a '(__kumactl_complete)'
