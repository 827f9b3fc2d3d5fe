#compdef kumactl
# zsh completion for kumactl.
# Enable it in the current shell:  source <(kumactl completion zsh)
# and in every new one:            echo 'source <(kumactl completion zsh)' >> ~/.zshrc
# (after `autoload -U compinit && compinit`), or save it as `_kumactl` in a
# directory of $fpath.
#
# Every TAB asks `kumactl __complete <words...>` for the candidates of the
# last word: one per line (`word<TAB>description`), then `:<directive>`
# (`:0` = complete file names when there is no candidate).

_kumactl() {
  local out directive line
  local -a lines candidates
  out=$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("${(@f)out}")
  directive=${lines[-1]#:}
  lines=("${(@)lines[1,-2]}")
  for line in $lines; do
    # _describe reads `word:description`: a colon in the word is escaped.
    if [[ $line == *$'\t'* ]]; then
      candidates+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    else
      candidates+=("${line//:/\\:}")
    fi
  done
  if (( ${#candidates} )); then
    _describe -t kumactl kumactl candidates
  elif [[ $directive == 0 ]]; then
    _files
  fi
}

if [[ $funcstack[1] == _kumactl ]]; then
  _kumactl "$@"
else
  compdef _kumactl kumactl
fi
