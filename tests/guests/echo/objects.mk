# SPDX-License-Identifier: BSD-2-Clause
# An interactive guest for the demo: echoes what is typed on its console
# and answers each line in capitals; "off" powers it off.
guest-progs-y += echo
echo-srcs := tests/guests/echo/echo.c
