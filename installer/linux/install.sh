#!/bin/sh
# Install the Organisation Design Workbench for the current user (no root needed):
# the app in ~/.local/opt, `workbench` in ~/.local/bin, a menu entry, icons and the .owb type.
#   ./install.sh              install (or update)
#   ./install.sh --uninstall  remove it again (projects and settings are kept)
set -eu
NAME=org-design-workbench
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
APP=$PREFIX/opt/$NAME
DATA=${XDG_DATA_HOME:-$HOME/.local/share}

refresh() {
    command -v update-mime-database >/dev/null && update-mime-database "$DATA/mime" || true
    command -v update-desktop-database >/dev/null && update-desktop-database "$DATA/applications" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP" "$PREFIX/bin/workbench" "$DATA/applications/$NAME.desktop" \
           "$DATA/mime/packages/$NAME.xml"
    find "$DATA/icons/hicolor" -name "$NAME.png" -delete 2>/dev/null || true
    refresh
    echo "Removed. Your projects, settings and logs are untouched."
    exit 0
fi

rm -rf "$APP"
mkdir -p "$APP" "$PREFIX/bin" "$DATA/applications" "$DATA/mime/packages" "$DATA/icons"
cp -a "$HERE/." "$APP/"
ln -sf "$APP/AppRun" "$PREFIX/bin/workbench"
cp -a "$HERE/usr/share/icons/." "$DATA/icons/"
cp "$HERE/usr/share/mime/packages/$NAME.xml" "$DATA/mime/packages/"
sed "s|^Exec=.*|Exec=\"$APP/AppRun\" %f|" "$HERE/$NAME.desktop" > "$DATA/applications/$NAME.desktop"
refresh
echo "Installed in $APP. Start it from the applications menu, or run: $PREFIX/bin/workbench"
