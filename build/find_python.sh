#!/usr/bin/env sh
# Print the path of a Python >= 3.12 interpreter, or fail with advice.
# PySide6 6.12 on Python 3.11 crashes in long Qt runs, so older ones are refused.
# Order: $CHRONOMAP_PYTHON, python3.13/3.12 on PATH, pyenv's installed versions, python3.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for candidate in "${CHRONOMAP_PYTHON:-}" python3.12 python3.13; do
    [ -n "$candidate" ] && ok "$candidate" && { command -v "$candidate"; exit 0; }
done
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*; do
    [ -x "$dir/bin/python" ] && ok "$dir/bin/python" && { echo "$dir/bin/python"; exit 0; }
done
ok python3 && { command -v python3; exit 0; }
echo "Chronomap needs Python 3.12 or newer; install it (e.g. 'pyenv install 3.12') or set CHRONOMAP_PYTHON" >&2
exit 1
