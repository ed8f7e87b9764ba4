// 督办: tasks and their source documents (src/features/tasks).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const tasks = {
  ...resource('/tasks'),
  stats: (opts) => api.get('/tasks/stats', undefined, opts),
  queues: (opts) => api.get('/tasks/queues', undefined, opts),
  children(id, opts) { return this.read(id, 'children', undefined, opts) },
  timeline(id, opts) { return this.read(id, 'timeline', undefined, opts) },
  extensions(id, opts) { return this.read(id, 'extensions', undefined, opts) },
  urgings(id, opts) { return this.read(id, 'urgings', undefined, opts) },
}

export const documents = resource('/documents')
