#!/bin/sh
# What the administrator changes between the tree's first and second
# version: a new file, a changed module, a removed one.  Run by the host
# on its copy and by the admin guest on the segment, so both end with the
# same manifest.
#
#   change-tree.sh DIR
set -e
echo 2 >"$1/etc/tree-version"
echo "# site change of version 2" >>"$1/usr/lib/python3.13/colorsys.py"
rm -f "$1/usr/lib/python3.13/__pycache__/colorsys.cpython-313.pyc"
rm -f "$1/usr/lib/python3.13/__phello__/spam.py"
