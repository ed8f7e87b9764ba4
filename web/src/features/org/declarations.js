// 机构 and 人员 as the list shell reads them, for a server that does not declare them as
// entities (GET /api/v1/entities/units answers 404). Same shape as the server's declaration;
// limits as docs/openapi.yaml states them (UnitCreate, PersonCreate).
import { declareFallback } from '@/shell/declarations'
import { useOrgStore } from '@/stores/org'

const ACTIVE = [
  { value: 1, t: 'common.active', tag: 'success' },
  { value: 0, t: 'common.inactive', tag: 'info' },
]

declareFallback('units', async (session) => {
  const kinds = await useOrgStore().loadKinds()
  const manage = session.has('unit.manage')
  return {
    name: 'units', path: '/api/v1/units', t: 'menu.units', default_sort: 'sort_order', per_page: 20,
    can: { read: true, create: manage, update: manage, delete: manage, export: false, import: false },
    sorts: ['sort_order', 'code', 'name'],
    fields: [
      { name: 'code', type: 'text', t: 'units.code', required: true, min: 1, max: 32, list: true, search: true, sort: true, create: true, update: true },
      { name: 'name', type: 'text', t: 'units.name', required: true, min: 1, max: 100, list: true, search: true, sort: true, create: true, update: true },
      { name: 'short_name', type: 'text', t: 'units.short_name', max: 100, search: true, create: true, update: true },
      { name: 'kind', type: 'enum', t: 'units.kind', required: true, list: true, filter: true, create: true, update: true,
        options: kinds.map((k) => ({ value: k.code, zh: k.name, en: k.name_en || k.name })) },
      { name: 'parent_id', type: 'unit', t: 'units.parent', list: true, create: true, update: true },
      { name: 'sort_order', type: 'int', t: 'common.sort_order', min: 0, max: 999999, list: true, create: true, update: true },
      { name: 'active', type: 'bool', t: 'common.status', list: true, filter: true, readonly: true, options: ACTIVE },
    ],
  }
})

declareFallback('people', (session) => {
  const manage = session.has('person.manage')
  return {
    name: 'people', path: '/api/v1/people', t: 'menu.people', default_sort: 'sort_order', per_page: 20,
    can: { read: true, create: manage, update: manage, delete: manage, export: false, import: false },
    fields: [
      { name: 'unit_id', type: 'unit', t: 'people.unit', required: true, list: true, filter: true, create: true, update: true },
      { name: 'name', type: 'text', t: 'people.name', required: true, min: 1, max: 100, list: true, search: true, create: true, update: true },
      { name: 'position', type: 'text', t: 'people.position', max: 100, list: true, search: true, create: true, update: true },
      { name: 'phone', type: 'phone', t: 'people.phone', min: 3, max: 20, list: true, create: true, update: true },
      { name: 'is_first_responsible', type: 'bool', t: 'people.first', list: true, create: true, update: true },
      { name: 'is_liaison', type: 'bool', t: 'people.liaison', list: true, create: true, update: true },
      { name: 'sort_order', type: 'int', t: 'common.sort_order', min: 0, max: 999999, list: true, create: true, update: true },
    ],
    filters: [{ name: 'first_responsible', type: 'bool', t: 'people.first' }],
  }
})
