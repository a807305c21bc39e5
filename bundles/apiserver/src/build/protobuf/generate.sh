#!/usr/bin/env bash
# Regenerates the schema the protobuf codec reads at run time:
#   kubernetes.desc        FileDescriptorSet of the Kubernetes v1.32 API protos (protoc --include_imports)
#   kubernetes-fields.tsv  the JSON facts only the Go types know (names, pointer, omitempty, inline), see gofields.py
# The protos come from kubernetes/api, kubernetes/apimachinery and kubernetes/apiextensions-apiserver at tag v0.32.9,
# laid out as SRC/k8s.io/{api,apimachinery,apiextensions-apiserver}; protoc is com.google.protobuf:protoc:4.33.5 (exe).
# client-java-proto's generated classes are not used for this: they lack coordination, discovery, events, node,
# apiextensions v1 and autoscaling v2, which kubectl and the controllers speak.
set -euo pipefail
SRC=${1:?usage: generate.sh SRC_ROOT [PROTOC]}
PROTOC=${2:-$HOME/.m2/repository/com/google/protobuf/protoc/4.33.5/protoc-4.33.5-linux-x86_64.exe}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/../../main/resources/dev/okube/apiserver/protobuf
cd "$SRC"
GROUPS_V1="admissionregistration apps authentication authorization autoscaling batch certificates coordination core
  discovery events flowcontrol networking node policy rbac scheduling storage"
PROTOS=""
for g in $GROUPS_V1; do PROTOS="$PROTOS k8s.io/api/$g/v1/generated.proto"; done
PROTOS="$PROTOS k8s.io/api/autoscaling/v2/generated.proto k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto"
"$PROTOC" -I. --include_imports --descriptor_set_out="$OUT/kubernetes.desc" $PROTOS 2>/dev/null
python3 "$HERE/gofields.py" . $PROTOS \
  k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto k8s.io/apimachinery/pkg/runtime/generated.proto \
  k8s.io/apimachinery/pkg/util/intstr/generated.proto k8s.io/apimachinery/pkg/api/resource/generated.proto \
  > "$OUT/kubernetes-fields.tsv"
