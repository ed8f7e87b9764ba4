// Menu icons by the names the server's menu sends (Element Plus icon components). The ones the
// modules use today are bundled; any other name loads the whole icon set once, on demand.
import { shallowReactive } from 'vue'
import {
  Avatar, Bell, Calendar, Connection, DataAnalysis, Document, Files, Flag, Folder, HomeFilled, List, Lock, Memo, Message,
  OfficeBuilding, Promotion, Setting, Stamp, Tickets, User,
} from '@element-plus/icons-vue'

const known = shallowReactive({
  Avatar, Bell, Calendar, Connection, DataAnalysis, Document, Files, Flag, Folder, HomeFilled, List, Lock, Memo, Message,
  OfficeBuilding, Promotion, Setting, Stamp, Tickets, User,
})
let loading = null

export function menuIcon(name) {
  if (!name) return Folder
  if (known[name]) return known[name]
  if (!loading) {
    loading = import('@element-plus/icons-vue').then((all) => {
      for (const [k, v] of Object.entries(all)) if (!known[k]) known[k] = v
    }).catch(() => {})
  }
  return Folder // until the set has arrived (known is reactive: the menu re-renders)
}
