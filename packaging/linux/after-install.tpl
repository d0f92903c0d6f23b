#!/bin/bash
# The .deb's after-install script (electron-builder fills in executable and sanitizedProductName).
# It differs from electron-builder's default in one thing: /usr/bin/socket-lab is the CLI launcher
# (resources/bin/socket-lab: the app run as plain Node), not the desktop app, so that
# `socket-lab tcp-server ...` never starts a browser process. The menu entry names the app itself.
app='/opt/${sanitizedProductName}'
cli="$app/resources/bin/${executable}"

if type update-alternatives >/dev/null 2>&1; then
    # An older install registered the app itself as the alternative: drop that one.
    update-alternatives --remove '${executable}' "$app/${executable}" >/dev/null 2>&1 || true
    if [ -L '/usr/bin/${executable}' ] && [ "$(readlink '/usr/bin/${executable}')" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$cli" 100 || ln -sf "$cli" '/usr/bin/${executable}'
else
    ln -sf "$cli" '/usr/bin/${executable}'
fi

# Chromium's sandbox: user namespaces where the kernel allows them, else the setuid helper.
if [[ -L /proc/self/ns/user ]] && unshare --user true 2>/dev/null; then
    chmod 0755 "$app/chrome-sandbox" || true
else
    chmod 4755 "$app/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24.04+ restricts unprivileged user namespaces through AppArmor: load the app's profile,
# where this AppArmor understands it (22.04's does not, and needs none).
if apparmor_status --enabled >/dev/null 2>&1; then
    profile="$app/resources/apparmor-profile"
    target='/etc/apparmor.d/${executable}'
    if apparmor_parser --skip-kernel-load --debug "$profile" >/dev/null 2>&1; then
        cp -f "$profile" "$target"
        if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --replace --write-cache --skip-read-cache "$target"
        fi
    else
        echo "Skipping the AppArmor profile: this AppArmor does not take it"
    fi
fi
