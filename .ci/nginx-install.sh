# Sourced by the CI scripts that run nginx: installs Debian's nginx when it is missing,
# without letting the package start its own daemon on port 80, and sets SUDO (empty when
# root) and NGINX (the binary).
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "== install nginx (Debian package)"
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
  [ -z "$added_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# nginx_serve DIR AS MAIN SERVER URL: writes DIR/nginx.conf, with MAIN added to the main
# context (a `user` line, say) and SERVER as the body of its one server block; checks it,
# starts nginx on it in the background, run through AS (empty, or "$SUDO"), with its pid in
# NGINX_PID (stop it with `$AS kill`), and waits until URL answers.
nginx_serve() {
  local dir=$1 as=$2 main=$3 server=$4 url=$5
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 1;
$main
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $dir/access.log;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
$server
  }
}
EOF
  $as "$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  $as "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  NGINX_PID=$!
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && break
    sleep 0.1
  done
}
