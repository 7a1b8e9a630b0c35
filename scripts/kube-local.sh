#!/usr/bin/env bash
# A real Kubernetes (v1.20.2) on this machine, on 127.0.0.1, to judge the Kubernetes YAML this project renders.
#
# The binaries are built once from Debian bookworm's own source package of kubernetes-client (the full 1.20.2
# tree with vendor/; Debian builds only kubectl from it) with Debian's Go 1.19, into a cache directory outside
# the repository, and reused from there. Only the Debian mirror apt already uses is contacted: no GitHub, no
# image registry, no Go module proxy. Adapted from ../shared/k8s-real/setup.sh.
#
# Usage: scripts/kube-local.sh build    apt packages + source + compile into $KUBE_LOCAL_DIR/bin, unless present
#                                        (~18 min on 2 cores, run at nice 15)
#        scripts/kube-local.sh up       build if missing; then etcd, kube-apiserver, controller-manager,
#                                        scheduler, a dockerd of its own (own socket, data-root and bridge),
#                                        kubelet (dockershim), kube-proxy and dnsmasq as cluster DNS
#        scripts/kube-local.sh down     stop exactly what `up` started, by PID; remove its iptables rules,
#                                        mounts and the cluster state (the binaries and images stay)
#        scripts/kube-local.sh status   which components run (exit 1 when the API server does not answer)
#        scripts/kube-local.sh env      print the export lines (KUBECONFIG, KUBECTL, the node's dockerd)
#        scripts/kube-local.sh run CMD  up, run CMD with that environment, down (also on failure or signal)
# Environment: KUBE_LOCAL_DIR (default /var/tmp/k8s-local), KUBE_LOCAL_NICE (default 15).
set -euo pipefail

R=${KUBE_LOCAL_DIR:-/var/tmp/k8s-local}
B=$R/bin               # built binaries (the expensive part: kept)
S=$R/src               # Debian source package, unpacked
I=$R/images            # image root filesystems (kept)
RUN=$R/run             # everything of one cluster life: certs, etcd, pids, logs (removed by down)
P=$RUN/pki; L=$RUN/logs
NICE=${KUBE_LOCAL_NICE:-15}
NODE=$(hostname | tr 'A-Z_' 'a-z-')
SRC_VER="1.20.5+really1.20.2"
DEB_REV="1.1+deb12u1"
MIRROR=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $1}' | grep -v security | head -1 || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
APISERVER=https://127.0.0.1:6443
ETCD=http://127.0.0.1:23790
# the node's own Docker engine: never the machine's main dockerd (its socket, data, bridge and iptables chains
# are other people's)
DOCKER_SOCK=/run/k8s-local-docker.sock
BRIDGE=k8slocal0
BRIDGE_CIDR=10.244.0.1/24
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
export KUBECONFIG=$RUN/admin.kubeconfig
# the kubectl of the server's version (built with it): another client version may judge differently
KUBECTL=$B/kubectl
kubectl() { "$KUBECTL" "$@"; }

log() { echo "[kube-local $(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }
built() { for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl pause; do [ -x $B/$c ] || return 1; done; }

# ------------------------------------------------------------------------------------------------------ build
do_build() {
  if built; then log "binaries present in $B: reusing them"; return 0; fi
  [ "$(id -u)" -eq 0 ] || die "run as root (installs packages, starts daemons)"
  mkdir -p $B $S $R/logs
  local t0=$(date +%s)
  log "apt-get install golang-go etcd-server rsync openssl conntrack dnsmasq-base netcat-openbsd ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq golang-go etcd-server etcd-client rsync openssl curl dpkg-dev gcc make conntrack socat \
    dnsmasq-base netcat-openbsd iptables iproute2 busybox-static debootstrap docker.io >/dev/null
  if [ ! -d $S/kubernetes-1.20.2 ]; then
    log "fetching Debian source package kubernetes $SRC_VER-$DEB_REV from $MIRROR (34 MB, full tree incl. vendor/)"
    (
      cd $S
      for f in kubernetes_${SRC_VER}-${DEB_REV}.dsc kubernetes_${SRC_VER}.orig.tar.gz kubernetes_${SRC_VER}-${DEB_REV}.debian.tar.xz; do
        [ -f $f ] || { curl -sSf -o $f.part $MIRROR/pool/main/k/kubernetes/$f && mv $f.part $f; }
      done
      # sha256 sums as published in bookworm's signed main/source/Sources index; dpkg-source checks the
      # tarballs against the .dsc and applies Debian's patches
      sha256sum -c --quiet - <<SUMS
19fa1da5aefcef673894ac9511986bd98a14410cf8eea0b626613c30df435257  kubernetes_${SRC_VER}-${DEB_REV}.dsc
b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc  kubernetes_${SRC_VER}.orig.tar.gz
9b6e5fd41769d2b5badf2e73b274e3bcd90f85e13d06a1a4a845ccce018127d8  kubernetes_${SRC_VER}-${DEB_REV}.debian.tar.xz
SUMS
      rm -rf kubernetes-1.20.2.part
      dpkg-source -x kubernetes_${SRC_VER}-${DEB_REV}.dsc kubernetes-1.20.2.part 2>&1 | grep -v -E '^gpgv|signature' || true
      mv kubernetes-1.20.2.part kubernetes-1.20.2
    )
  fi
  # 1.20 builds in GOPATH mode (module mode with Go 1.19 stops at "updates to go.mod needed")
  export GO111MODULE=off GOPATH=$S/gopath GOCACHE=$S/gocache GOFLAGS= GOPROXY=off
  mkdir -p $GOPATH/src/k8s.io && ln -sfn $S/kubernetes-1.20.2 $GOPATH/src/k8s.io/kubernetes
  cd $GOPATH/src/k8s.io/kubernetes
  if [ ! -f pkg/generated/openapi/zz_generated.openapi.go ]; then
    log "make generated_files (the OpenAPI definitions are not in the tarball)"
    nice -n $NICE make generated_files > $R/logs/build-generated.log 2>&1 || { tail -20 $R/logs/build-generated.log; die "make generated_files failed"; }
  fi
  local V=k8s.io/kubernetes/vendor/k8s.io/component-base/version CV=k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version
  local LD="-s -w" p c
  for p in $V $CV; do
    LD="$LD -X $p.gitVersion=v1.20.2 -X $p.gitMajor=1 -X $p.gitMinor=20 -X $p.gitTreeState=clean"
    LD="$LD -X $p.gitCommit=faecb196815e248d3ecfb03c680a4507229c2a56 -X $p.buildDate=2021-01-13T13:20:00Z"
  done
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    [ -x $B/$c ] && continue
    log "go build ./cmd/$c"
    local cg=0; [ $c = kubelet ] && cg=1
    CGO_ENABLED=$cg nice -n $NICE go build -ldflags "$LD" -o $B/$c.part ./cmd/$c > $R/logs/build-$c.log 2>&1 || { tail -20 $R/logs/build-$c.log; die "go build $c failed"; }
    mv $B/$c.part $B/$c
  done
  # kubectl of the same version: Debian's own build of this source (package kubernetes-client), unpacked here so
  # that whatever kubectl the machine has stays as it is
  if [ ! -x $B/kubectl ]; then
    (cd $S && rm -rf kubectl-deb && mkdir kubectl-deb && cd kubectl-deb && apt-get download -qq kubernetes-client=${SRC_VER}-${DEB_REV} 2>/dev/null &&
      dpkg-deb -x kubernetes-client_*.deb root && cp root/usr/bin/kubectl $B/kubectl.part) || die "could not fetch Debian's kubernetes-client"
    mv $B/kubectl.part $B/kubectl; rm -rf $S/kubectl-deb
  fi
  # the pod sandbox ("pause") binary
  [ -x $B/pause ] || { gcc -Os -static -DVERSION=3.2 -o $B/pause.part build/pause/linux/pause.c && mv $B/pause.part $B/pause; }
  log "build done in $(( $(date +%s) - t0 )) s: $($B/kube-apiserver --version)"
  # the Go build cache (~2 GB) is not needed by the binaries
  chmod -R u+w $S/gocache 2>/dev/null || true; rm -rf $S/gocache
}

# ------------------------------------------------------------------------------------------------------ helpers
pidfile() { echo $RUN/$1.pid; }
running() { [ -f $(pidfile $1) ] && kill -0 $(cat $(pidfile $1)) 2>/dev/null; }
start() { # name cmd...   in the background, niced, PID recorded; its output in $L/<name>.log
  local n=$1; shift
  running $n && { log "$n already running (pid $(cat $(pidfile $n)))"; return 0; }
  nohup nice -n $NICE "$@" > $L/$n.log 2>&1 &
  echo $! > $(pidfile $n)
}
wait_until() { # seconds what command...
  local t=$1 what=$2 i; shift 2
  for i in $(seq 1 $t); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  die "$what did not come up within $t s"
}
kdocker() { DOCKER_HOST=unix://$DOCKER_SOCK docker "$@"; }
host_ip() { ip -4 -o addr show scope global | grep -v -E "docker|$BRIDGE|veth|cni" | awk '{print $4}' | cut -d/ -f1 | head -1; }
api_ready() { curl -sf --cacert $P/ca.crt --cert $P/admin.crt --key $P/admin.key $APISERVER/readyz | grep -q '^ok$'; }

sign() { # name CN O [SANs]
  local n=$1 cn=$2 o=$3 san=${4:-} subj
  [ -f $P/$n.crt ] && return 0
  subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -newkey rsa:2048 -nodes -keyout $P/$n.key -out $P/$n.csr -subj "$subj" 2>/dev/null
  if [ -n "$san" ]; then printf "subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n" "$san" > $P/$n.ext
  else printf "extendedKeyUsage=clientAuth\n" > $P/$n.ext; fi
  openssl x509 -req -in $P/$n.csr -CA $P/ca.crt -CAkey $P/ca.key -CAcreateserial -out $P/$n.crt -days 30 -extfile $P/$n.ext 2>/dev/null
  rm -f $P/$n.csr $P/$n.ext
}
kubeconfig() { # cert-name file   (written directly: kubectl 1.20's `config set-*` crashes when built with Go >= 1.18)
  cat > $2 <<YAML
apiVersion: v1
kind: Config
clusters:
- name: kube-local
  cluster: {server: $APISERVER, certificate-authority-data: $(base64 -w0 < $P/ca.crt)}
users:
- name: $1
  user: {client-certificate-data: $(base64 -w0 < $P/$1.crt), client-key-data: $(base64 -w0 < $P/$1.key)}
contexts:
- name: kube-local
  context: {cluster: kube-local, user: $1}
current-context: kube-local
YAML
  chmod 600 $2
}
certs() {
  mkdir -p $P
  [ -f $P/ca.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout $P/ca.key -out $P/ca.crt -days 30 -subj "/CN=kube-local-ca" 2>/dev/null
  sign apiserver kube-apiserver "" "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1"
  sign admin admin system:masters
  sign apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  sign controller-manager system:kube-controller-manager ""
  sign scheduler system:kube-scheduler ""
  sign kube-proxy system:kube-proxy ""
  sign kubelet "system:node:$NODE" system:nodes "DNS:$NODE,DNS:localhost,IP:127.0.0.1,IP:$(host_ip)"
  [ -f $P/sa.key ] || { openssl genrsa -out $P/sa.key 2048 2>/dev/null; openssl rsa -in $P/sa.key -pubout -out $P/sa.pub 2>/dev/null; }
  kubeconfig admin $RUN/admin.kubeconfig
  local n; for n in controller-manager scheduler kubelet kube-proxy; do kubeconfig $n $RUN/$n.kubeconfig; done
}

# ------------------------------------------------------------------------------------------------------ up
control_plane() {
  start etcd etcd --name kube-local --data-dir $RUN/etcd \
    --listen-client-urls $ETCD --advertise-client-urls $ETCD \
    --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
    --initial-cluster kube-local=http://127.0.0.1:23800 --listen-metrics-urls http://127.0.0.1:23810
  wait_until 30 etcd sh -c "curl -sf $ETCD/health | grep -q true"
  # the Endpoints of service/kubernetes may not be loopback: advertise this machine's address
  start kube-apiserver $B/kube-apiserver --etcd-servers=$ETCD \
    --bind-address=127.0.0.1 --secure-port=6443 --advertise-address=$(host_ip) --insecure-port=0 \
    --tls-cert-file=$P/apiserver.crt --tls-private-key-file=$P/apiserver.key --client-ca-file=$P/ca.crt \
    --kubelet-client-certificate=$P/apiserver-kubelet-client.crt --kubelet-client-key=$P/apiserver-kubelet-client.key \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --service-account-key-file=$P/sa.pub --service-account-signing-key-file=$P/sa.key \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=$SERVICE_CIDR --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,DefaultStorageClass,ResourceQuota,LimitRanger \
    --profiling=false --v=1
  wait_until 120 kube-apiserver api_ready
  log "kube-apiserver ready: $(kubectl get --raw /version | grep gitVersion | tr -d ' ,')"
  start kube-controller-manager $B/kube-controller-manager --kubeconfig=$RUN/controller-manager.kubeconfig \
    --authentication-kubeconfig=$RUN/controller-manager.kubeconfig --authorization-kubeconfig=$RUN/controller-manager.kubeconfig \
    --bind-address=127.0.0.1 --secure-port=10257 --port=0 --leader-elect=false \
    --service-account-private-key-file=$P/sa.key --root-ca-file=$P/ca.crt --use-service-account-credentials=true \
    --cluster-signing-cert-file=$P/ca.crt --cluster-signing-key-file=$P/ca.key \
    --service-cluster-ip-range=$SERVICE_CIDR --profiling=false --v=1
  start kube-scheduler $B/kube-scheduler --kubeconfig=$RUN/scheduler.kubeconfig \
    --authentication-kubeconfig=$RUN/scheduler.kubeconfig --authorization-kubeconfig=$RUN/scheduler.kubeconfig \
    --bind-address=127.0.0.1 --secure-port=10259 --port=0 --leader-elect=false --profiling=false --v=1
}

# The pod sandboxes ask for oom_score_adj -998, which these machines forbid (runc: "can't get final child's PID
# from pipe: EOF"): a runc wrapper clamps negative values to 0.
runc_wrapper() {
  cat > $RUN/runc-nonneg-oom <<'SH'
#!/bin/sh
prev=""
for a in "$@"; do
  if [ "$prev" = "--bundle" ] || [ "$prev" = "-b" ]; then
    [ -f "$a/config.json" ] && sed -i -E 's/"oomScoreAdj":-[0-9]+/"oomScoreAdj":0/' "$a/config.json"
  fi
  prev="$a"
done
exec /usr/sbin/runc "$@"
SH
  chmod +x $RUN/runc-nonneg-oom
}

# The images the cluster itself needs, built locally (there is no registry): the pod sandbox, and busybox with
# OpenBSD nc (the generated wait-for init containers run `nc -z`, which Debian's busybox nc lacks).
infra_images() {
  if ! kdocker image inspect k8s.gcr.io/pause:3.2 >/dev/null 2>&1; then
    rm -rf $I/pause && mkdir -p $I/pause && cp $B/pause $I/pause/pause
    tar -C $I/pause -c . | kdocker import --change 'ENTRYPOINT ["/pause"]' - k8s.gcr.io/pause:3.2 >/dev/null
  fi
  if ! kdocker image inspect busybox:1.36.1 >/dev/null 2>&1; then
    local bb=$I/busybox l a
    rm -rf $bb && mkdir -p $bb/bin $bb/tmp $bb/etc && chmod 1777 $bb/tmp
    cp /bin/busybox $bb/bin/ && for a in $($bb/bin/busybox --list); do [ $a = busybox ] || ln -sf busybox $bb/bin/$a; done
    cp /bin/dash $bb/bin/dash && ln -sf dash $bb/bin/sh && cp /bin/nc.openbsd $bb/bin/ && ln -sf nc.openbsd $bb/bin/nc
    for l in $( (ldd /bin/dash; ldd /bin/nc.openbsd) | grep -o '/lib[^ ]*' | sort -u); do mkdir -p $bb$(dirname $l); cp -L $l $bb$l; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > $bb/etc/passwd
    tar -C $bb -c . | kdocker import --change 'CMD ["sh"]' - busybox:1.36.1 >/dev/null
  fi
}

node_up() {
  # 1. a bridge and a dockerd of the node's own: own socket, data-root, exec-root and bridge, no iptables of its
  #    own (the machine's main dockerd owns the DOCKER chains). Pods on the bridge may reach each other and this
  #    machine, nothing beyond it.
  ip link show $BRIDGE >/dev/null 2>&1 || { ip link add $BRIDGE type bridge && ip addr add $BRIDGE_CIDR dev $BRIDGE; }
  ip link set $BRIDGE up
  iptables -C FORWARD -i $BRIDGE -o $BRIDGE -m comment --comment kube-local -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD 1 -i $BRIDGE -o $BRIDGE -m comment --comment kube-local -j ACCEPT
  iptables -C FORWARD -i $BRIDGE ! -o $BRIDGE -m comment --comment kube-local -j DROP 2>/dev/null ||
    iptables -I FORWARD 2 -i $BRIDGE ! -o $BRIDGE -m comment --comment kube-local -j DROP
  runc_wrapper
  mkdir -p $R/docker
  start dockerd dockerd --host unix://$DOCKER_SOCK --data-root $R/docker --exec-root /run/k8s-local-docker \
    --pidfile /run/k8s-local-docker.pid --bridge $BRIDGE --iptables=false --ip-masq=false --ip-forward=false \
    --userland-proxy=false --exec-opt native.cgroupdriver=cgroupfs \
    --add-runtime kube-local-runc=$RUN/runc-nonneg-oom --default-runtime kube-local-runc
  wait_until 60 "the node's dockerd" kdocker info
  infra_images
  # 2. cluster DNS stand-in (no CoreDNS in Debian): dnsmasq on the bridge answers <svc>.<ns>.svc[.cluster.local]
  #    from the Service list, with no upstream (nothing is forwarded off the machine)
  local DNS=${BRIDGE_CIDR%/*} H=$RUN/dns-hosts
  touch $H
  start dnsmasq dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts=$H --listen-address=$DNS \
    --bind-interfaces --port=53 --pid-file=$RUN/dnsmasq.own.pid --log-facility=-
  start dns-sync bash -c "while true; do $KUBECTL get svc -A -o jsonpath='{range .items[*]}{.spec.clusterIP} {.metadata.name}.{.metadata.namespace}.svc.cluster.local {.metadata.name}.{.metadata.namespace}.svc{\"\\n\"}{end}' 2>/dev/null | grep -v '^None ' > $H.new && ! cmp -s $H.new $H && mv $H.new $H && kill -HUP \$(cat $(pidfile dnsmasq)) 2>/dev/null; sleep 2; done"
  # 3. kubelet (dockershim) and kube-proxy
  mkdir -p $RUN/kubelet
  echo "nameserver 127.0.0.1" > $RUN/kubelet/resolv.conf   # dnsPolicy Default: no outside DNS either
  cat > $RUN/kubelet/config.yaml <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $(host_ip)
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $P/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $P/kubelet.crt
tlsPrivateKeyFile: $P/kubelet.key
cgroupDriver: cgroupfs
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS]
resolvConf: $RUN/kubelet/resolv.conf
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
YAML
  start kubelet $B/kubelet --kubeconfig=$RUN/kubelet.kubeconfig --config=$RUN/kubelet/config.yaml \
    --container-runtime=docker --docker-endpoint=unix://$DOCKER_SOCK \
    --container-runtime-endpoint=unix:///run/k8s-local-dockershim.sock --image-service-endpoint=unix:///run/k8s-local-dockershim.sock \
    --pod-infra-container-image=k8s.gcr.io/pause:3.2 --hostname-override=$NODE --node-ip=$(host_ip) \
    --root-dir=/var/lib/kubelet-k8s-local --cert-dir=$RUN/kubelet/pki --v=1
  # --masquerade-all: pods share one bridge, so a reply to a Service connection must come back through this host
  start kube-proxy $B/kube-proxy --kubeconfig=$RUN/kube-proxy.kubeconfig --hostname-override=$NODE --proxy-mode=iptables \
    --cluster-cidr=$POD_CIDR --masquerade-all --bind-address=127.0.0.1 --metrics-bind-address=127.0.0.1:10249 \
    --healthz-bind-address=127.0.0.1:10256 --conntrack-max-per-core=0 --v=1
  wait_until 120 "node $NODE" sh -c "$KUBECTL get node $NODE | grep -q ' Ready '"
  log "node $NODE ready ($(host_ip)); pods on $BRIDGE ($POD_CIDR), cluster DNS $DNS; images: DOCKER_HOST=unix://$DOCKER_SOCK"
}

do_up() {
  [ "$(id -u)" -eq 0 ] || die "run as root (starts daemons, changes iptables)"
  built || do_build
  # a cluster whose API server already answers was started by someone else's `up`: only what is missing is
  # started, and `run` leaves it running
  if api_ready 2>/dev/null; then log "the API server already answers: starting only what is missing"; else STARTED=1; fi
  mkdir -p $RUN $L
  certs
  control_plane
  node_up
}

# ------------------------------------------------------------------------------------------------------ down
stop_pid() { # name
  local n=$1 pid i
  running $n || { rm -f $(pidfile $n); return 0; }
  pid=$(cat $(pidfile $n))
  kill $pid 2>/dev/null || true
  pkill -P $pid 2>/dev/null || true   # the children of this one process (dns-sync's sleep), by parent PID
  for i in $(seq 1 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
  kill -0 $pid 2>/dev/null && { log "$n ($pid) did not stop in 30 s: killing it"; kill -9 $pid; }
  log "stopped $n ($pid)"
  rm -f $(pidfile $n)
}
do_down() {
  [ -d $RUN ] || { log "nothing to stop"; return 0; }
  local n t c
  for n in kube-proxy kubelet dns-sync dnsmasq kube-scheduler kube-controller-manager; do stop_pid $n; done
  if running dockerd; then
    kdocker ps -aq 2>/dev/null | xargs -r env DOCKER_HOST=unix://$DOCKER_SOCK docker rm -f >/dev/null 2>&1 || true
    stop_pid dockerd
  fi
  for n in kube-apiserver etcd; do stop_pid $n; done
  set +e +o pipefail
  # kube-proxy's and the kubelet's KUBE-* chains: the jumps to them, then the chains; our FORWARD rules
  [ -x $B/kube-proxy ] && $B/kube-proxy --cleanup >/dev/null 2>&1
  for t in filter nat mangle; do
    iptables -t $t -S | grep -E '^-A [A-Z-]+ .*-j KUBE-' | grep -v -E '^-A KUBE-' | sed 's/^-A/-D/' |
      while read -r r; do eval iptables -t $t $r; done
    for c in $(iptables -t $t -S | awk '/^-N KUBE-/{print $2}'); do iptables -t $t -F $c; done
    for c in $(iptables -t $t -S | awk '/^-N KUBE-/{print $2}'); do iptables -t $t -X $c; done
  done
  iptables -S FORWARD | grep -- '--comment kube-local' | sed 's/^-A/-D/' | while read -r r; do eval iptables $r; done
  ip link show $BRIDGE >/dev/null 2>&1 && ip link del $BRIDGE
  # the kubelet's mounts and pod cgroups
  grep -o ' /var/lib/kubelet-k8s-local[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null
  rm -rf /var/lib/kubelet-k8s-local
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} \; 2>/dev/null
  # one cluster life: certificates, etcd, logs (kept in $R/logs.last for a look after a failure)
  rm -rf $R/logs.last; mv $L $R/logs.last 2>/dev/null; rm -rf $RUN
  log "down: $(iptables-save | grep -c KUBE) KUBE iptables lines, $(grep -c kubelet-k8s-local /proc/mounts) kubelet mounts left; logs in $R/logs.last"
  return 0
}

do_status() {
  local n rc=0
  for n in etcd kube-apiserver kube-controller-manager kube-scheduler dockerd dnsmasq dns-sync kubelet kube-proxy; do
    if running $n; then echo "$n: running (pid $(cat $(pidfile $n)))"; else echo "$n: not running"; fi
  done
  api_ready 2>/dev/null && echo "API server: ready at $APISERVER" || { echo "API server: not answering"; rc=1; }
  return $rc
}

do_env() {
  echo "export KUBECONFIG=$KUBECONFIG"
  echo "export KUBECTL=$KUBECTL"
  echo "export KUBE_LOCAL_DOCKER_HOST=unix://$DOCKER_SOCK"
}

# up, CMD, down: down runs on exit, failure or signal; CMD's exit status is the result
do_run() {
  [ $# -gt 0 ] || die "usage: $0 run CMD [ARGS...]"
  STARTED=
  # a cluster that already ran before is left running; one this call started is stopped
  trap '[ -z "$STARTED" ] || do_down' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  do_up
  KUBECTL=$KUBECTL KUBE_LOCAL_DOCKER_HOST=unix://$DOCKER_SOCK "$@"
}

case "${1:-}" in
  build) do_build ;;
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  env) do_env ;;
  run) shift; do_run "$@" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
