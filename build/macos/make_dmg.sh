#!/bin/sh
# The macOS download: dist/Chronomap.app (from installer.spec, built on a Mac) in a
# compressed disk image with a link to /Applications to drag it onto.
#
#   sh build/macos/make_dmg.sh        (after `make app` on a Mac)
#
# Writes dist/Chronomap-VERSION-macos-ARCH.dmg. Sign and notarize the .app first
# for distribution (build/PACKAGING.md, "macOS").
set -eu
cd "$(dirname "$0")/../.."
app=dist/Chronomap.app
[ -d "$app" ] || { echo "make_dmg: no $app; run 'make app' on a Mac first" >&2; exit 1; }
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Chronomap $version" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -ov "dist/Chronomap-$version-macos-$(uname -m).dmg"
