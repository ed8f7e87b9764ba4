// Common handling of a failed save: per-field errors onto the form, and on 409 stale_version
// (the client already said "数据已被他人修改，请刷新后重试") close the dialog and reload.
import { applyFieldErrors, isStale } from '@/api/client'

export function handleSaveError(err, { errors, reload, close } = {}) {
  if (errors) applyFieldErrors(err, errors)
  if (isStale(err)) {
    if (close) close()
    if (reload) reload()
  }
}

export function clearErrors(errors) { for (const k of Object.keys(errors)) delete errors[k] }
