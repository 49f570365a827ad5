{{/*
Names and labels. Every per-service helper takes a dict: (dict "root" $ "name" "<service key>").
*/}}

{{/* Chart name and version, as the helm.sh/chart label wants them. */}}
{{- define "rollcall.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<service>, e.g. rollcall-report-service; Kubernetes names stop at 63 characters. */}}
{{- define "rollcall.componentFullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that never change for a service's pods: the Deployment selector and the Service selector. */}}
{{- define "rollcall.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "rollcall.labels" -}}
helm.sh/chart: {{ include "rollcall.chart" .root }}
{{ include "rollcall.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: rollcall
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* The image of a service: its tag, or the chart's appVersion when the tag is empty. */}}
{{- define "rollcall.image" -}}
{{- printf "%s:%s" .svc.image.repository (.svc.image.tag | default .root.Chart.AppVersion) }}
{{- end }}
