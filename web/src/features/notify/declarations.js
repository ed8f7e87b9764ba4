// 消息 and 推送记录 as the list shell reads them (lists the server does not declare as entities:
// a user's own messages, the delivery outbox).
import { declareFallback } from '@/shell/declarations'
import { KIND_TAG } from './notifyKinds'

const KINDS = Object.keys(KIND_TAG)
const DELIVERY_STATUS = { pending: 'warning', sending: 'primary', sent: 'success', failed: 'danger' }

declareFallback('notifications', () => ({
  name: 'notifications', path: '/api/v1/notifications', t: 'menu.notifications', per_page: 20,
  can: { read: true },
  fields: [
    { name: 'kind', type: 'enum', t: 'notify.kind_label', list: true, options: KINDS.map((k) => ({ value: k, t: 'notify.kind.' + k, tag: KIND_TAG[k] })) },
    { name: 'title', type: 'text', t: 'notify.content', list: true },
    { name: 'created_at', type: 'datetime', t: 'notify.time', list: true },
  ],
  filters: [{ name: 'unread', type: 'bool', t: 'notify.unread' }],
}))

declareFallback('deliveries', () => ({
  name: 'deliveries', path: '/api/v1/deliveries', t: 'menu.deliveries', per_page: 20,
  can: { read: true },
  fields: [
    { name: 'id', type: 'int', t: 'delivery.id', list: true },
    { name: 'channel', type: 'enum', t: 'delivery.channel', list: true,
      options: ['email', 'webhook'].map((c) => ({ value: c, t: 'delivery.channels.' + c })) },
    { name: 'target', type: 'text', t: 'delivery.target', list: true },
    { name: 'title', type: 'text', t: 'delivery.title', list: true },
    { name: 'status', type: 'enum', t: 'common.status', list: true, filter: true,
      options: Object.keys(DELIVERY_STATUS).map((s) => ({ value: s, t: 'delivery.status.' + s, tag: DELIVERY_STATUS[s] })) },
    { name: 'attempts', type: 'int', t: 'delivery.attempts', list: true },
    { name: 'next_attempt_at', type: 'datetime', t: 'delivery.next', list: true },
    { name: 'last_error', type: 'text', t: 'delivery.error', list: true },
    { name: 'created_at', type: 'datetime', t: 'delivery.created', list: true },
    { name: 'sent_at', type: 'datetime', t: 'delivery.sent', list: true },
  ],
}))
