# bash completion for kumactl.
# Enable it in the current shell:  source <(kumactl completion bash)
# and in every new one:            echo 'source <(kumactl completion bash)' >> ~/.bashrc
#
# Every TAB asks `kumactl __complete <words...>` for the candidates of the
# last word: one per line (`word<TAB>description`), then `:<directive>`
# (`:0` = complete file names when there is no candidate).

_kumactl_complete() {
  local line=${COMP_LINE:0:COMP_POINT}
  local -a words
  read -r -a words <<<"$line"
  # After a space the word being completed is a new, empty one.
  if [[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]]; then words+=(""); fi
  local current=${words[${#words[@]}-1]}

  local out
  out=$("${words[0]:-kumactl}" __complete "${words[@]:1}" 2>/dev/null) || return 0
  local directive=${out##*:}
  out=${out%:*}

  # Readline replaces only what follows the last word-break character
  # (`de` in `--mesh=de`): candidates lose what comes before it.
  local replaced=${line##*["$COMP_WORDBREAKS"]}
  local prefix=${current%"$replaced"}
  COMPREPLY=()
  local candidate
  while IFS= read -r candidate; do
    [[ -n $candidate ]] || continue
    candidate=${candidate%%$'\t'*}
    COMPREPLY+=("${candidate#"$prefix"}")
  done <<<"$out"

  if [[ ${#COMPREPLY[@]} -eq 0 && $directive == 0 ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$replaced")
  fi
}

complete -F _kumactl_complete kumactl
