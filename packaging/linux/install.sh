#!/usr/bin/env bash
# Optional: adds Mail Doctor to the menu and lets maildoctor:// links from
# support open it. Mail Doctor runs without this: double-click "maildoctor".
# Installs for this user only, no root needed.
#   ./install.sh            install into ~/.local
#   ./install.sh --remove   remove what it installed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
id=app.maildoctor.maildoctor
desktop=$data/applications/$id.desktop
icon=$data/icons/hicolor/512x512/apps/$id.png

if [ "${1:-}" = --remove ]; then
	rm -f "$bin/maildoctor" "$desktop" "$icon"
else
	install -D -m 0755 "$here/maildoctor" "$bin/maildoctor"
	install -D -m 0644 "$here/$id.png" "$icon"
	# The menu does not search ~/.local/bin on every desktop: use the full path.
	mkdir -p "$(dirname "$desktop")"
	sed "s|^Exec=maildoctor |Exec=\"$bin/maildoctor\" |" "$here/$id.desktop" >"$desktop"
	chmod 0644 "$desktop"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
if [ "${1:-}" != --remove ] && command -v xdg-mime >/dev/null; then
	xdg-mime default "$id.desktop" x-scheme-handler/maildoctor || true
fi
echo "done"
