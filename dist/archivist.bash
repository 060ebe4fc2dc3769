# bash completion for archivist (installed as share/bash-completion/completions/archivist).
#
# The verbs and each verb's options are read from the program itself (`archivist help` and
# `archivist help <verb>`), so the completion never lists a verb or an option that the
# installed binary does not have. Needs nothing from the bash-completion package.

_archivist_verbs() {
  "$1" help 2>/dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_archivist_options() {
  "$1" help "$2" 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
}

_archivist() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local prog=${COMP_WORDS[0]} verb="" i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --config|--db|--zhihu-base-url|--media-base-url) ((i++)) ;;
      -*) ;;
      *) verb=${COMP_WORDS[i]}; break ;;
    esac
  done
  case $prev in
    --config|--db|--cookies-file|--export-dir|--out-dir|--jieba-dir|--media-dir)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --zhihu-base-url|--media-base-url|--at|--since|--answer|--from|--to|--cookie|--user-agent|--header|\
    --proxy|--timeout|--connect-timeout|--delay|--retries|--page-size|--max-pages|--max-body|\
    --delete-confirmations|--listen|--image-proxy|--base-url)
      return ;;
    --profile)
      COMPREPLY=($(compgen -W "zhihu plain" -- "$cur")); return ;;
    --backend)
      COMPREPLY=($(compgen -W "http browser" -- "$cur")); return ;;
    --media)
      COMPREPLY=($(compgen -W "links local" -- "$cur")); return ;;
  esac
  if [[ -z $verb ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--config --db --zhihu-base-url --media-base-url --no-pager --help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$(_archivist_verbs "$prog")" -- "$cur"))
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_archivist_options "$prog" "$verb")" -- "$cur"))
    return
  fi
  case $verb in
    help) COMPREPLY=($(compgen -W "$(_archivist_verbs "$prog")" -- "$cur")) ;;
    convert|export|backup|copy-archive) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

complete -F _archivist archivist
