{{/* The release's objects are named after the chart, as backstage/charts' common.names.fullname does for a release named like it. */}}
{{- define "titanic-portal.fullname" -}}
{{ .Chart.Name }}
{{- end -}}

{{/* Labels on every object (backstage/charts: common.labels.standard plus component). */}}
{{- define "titanic-portal.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: backstage
app.kubernetes.io/part-of: titanic
app.kubernetes.io/version: {{ include "titanic-portal.imageTag" . | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels: immutable once the Deployment exists. */}}
{{- define "titanic-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: backstage
{{- end -}}

{{- define "titanic-portal.imageTag" -}}
{{ .Values.backstage.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/*
The variables app-config.production.yaml reads from the portal secret (one Secrets Manager secret
whose properties carry these names). The database credentials come from RDS's own secret, the
host and port from values, GITHUB_ORG from the ConfigMap.
*/}}
{{- define "titanic-portal.secretVariables" -}}
- AUTH_GITHUB_CLIENT_ID
- AUTH_GITHUB_CLIENT_SECRET
- AUTH_SESSION_SECRET
- GITHUB_APP_ID
- GITHUB_APP_CLIENT_ID
- GITHUB_APP_CLIENT_SECRET
- GITHUB_APP_PRIVATE_KEY
- GITHUB_WEBHOOK_SECRET
- SONARCLOUD_TOKEN
- REDIS_URL
{{- end -}}
