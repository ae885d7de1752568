#!/bin/sh
# Build the .deb from the PyInstaller bundle with Debian's own dpkg-deb.
#
#     packaging/build_deb.sh dist/annotator dist      ->  dist/annotator_<version>_<arch>.deb
#
# The bundle goes to /opt/annotator, a launcher to /usr/bin/annotator; the desktop entry,
# AppStream metainfo, MIME type and icons go where the freedesktop specifications look.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bundle=${1:?usage: build_deb.sh BUNDLE_DIR OUT_DIR}
out=${2:?usage: build_deb.sh BUNDLE_DIR OUT_DIR}
if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "build_deb.sh: dpkg-deb not found (apt-get install dpkg-dev); no .deb built" >&2
    exit 2
fi
if [ ! -x "$bundle/annotator" ]; then
    echo "build_deb.sh: $bundle/annotator: not a built bundle (run make package)" >&2
    exit 2
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/pyproject.toml" | head -n 1)
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/annotator_${version}_${arch}"
res="$repo/resources"

mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/metainfo" "$root/usr/share/mime/packages" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/icons/hicolor/scalable/mimetypes"
cp -a "$bundle" "$root/opt/annotator"
cat > "$root/usr/bin/annotator" <<'LAUNCHER'
#!/bin/sh
exec /opt/annotator/annotator "$@"
LAUNCHER
chmod 0755 "$root/usr/bin/annotator"
install -m 0644 "$res/desktop/annotator.desktop" "$root/usr/share/applications/annotator.desktop"
install -m 0644 "$res/desktop/annotator.metainfo.xml" "$root/usr/share/metainfo/annotator.metainfo.xml"
install -m 0644 "$res/desktop/annotator-project.xml" "$root/usr/share/mime/packages/annotator.xml"
install -m 0644 "$res/icons/annotator.svg" "$root/usr/share/icons/hicolor/scalable/apps/annotator.svg"
install -m 0644 "$res/icons/annotator.svg" \
    "$root/usr/share/icons/hicolor/scalable/mimetypes/application-x-annotator-project.svg"
for png in "$res"/icons/annotator-*.png; do
    size=$(basename "$png" .png | sed 's/annotator-//')
    for kind in apps mimetypes; do
        mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/$kind"
    done
    install -m 0644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/annotator.png"
    install -m 0644 "$png" \
        "$root/usr/share/icons/hicolor/${size}x${size}/mimetypes/application-x-annotator-project.png"
done
install -m 0755 "$here/debian/postinst" "$root/DEBIAN/postinst"
install -m 0755 "$here/debian/postrm" "$root/DEBIAN/postrm"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    "$here/debian/control.in" > "$root/DEBIAN/control"
mkdir -p "$out"
deb="$out/annotator_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "$deb"
