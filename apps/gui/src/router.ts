/**
 * The GUI's routes (gui.md §5), with history URLs that survive reload. No
 * route starts with `api`, `config` or `assets`: the GUI server keeps those.
 */
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteRecordRaw,
} from "vue-router";
import { policyPageOf } from "./model/policy-types.js";
import ControlPlanePage from "./pages/ControlPlanePage.vue";
import DataplanePage from "./pages/DataplanePage.vue";
import DataplanesPage from "./pages/DataplanesPage.vue";
import MeshesPage from "./pages/MeshesPage.vue";
import MeshPage from "./pages/MeshPage.vue";
import NotFoundPage from "./pages/NotFoundPage.vue";
import OverviewPage from "./pages/OverviewPage.vue";
import PolicyListPage from "./pages/PolicyListPage.vue";
import PolicyPage from "./pages/PolicyPage.vue";

/** A policy route's page, or the not-found page for an unknown `:type`. */
const policyRoute = (route: RouteLocationNormalized) => ({
  page: policyPageOf(String(route.params.type)),
});

const routes: RouteRecordRaw[] = [
  { path: "/", component: OverviewPage },
  { path: "/meshes", component: MeshesPage },
  { path: "/meshes/:mesh", component: MeshPage },
  { path: "/meshes/:mesh/dataplanes", component: DataplanesPage },
  { path: "/meshes/:mesh/dataplanes/:name", component: DataplanePage },
  // Kuma's later GUIs spell it with a hyphen; the API (and this GUI) without.
  {
    path: "/meshes/:mesh/proxy-templates/:name?",
    redirect: (to) => ({ ...to, path: to.path.replace("/proxy-templates", "/proxytemplates") }),
  },
  {
    path: "/meshes/:mesh/:type",
    component: PolicyListPage,
    props: policyRoute,
    beforeEnter: (to) =>
      policyPageOf(String(to.params.type))
        ? true
        : { name: "not-found", params: { pathMatch: to.path.slice(1).split("/") }, replace: true },
  },
  {
    path: "/meshes/:mesh/:type/:name",
    component: PolicyPage,
    props: policyRoute,
    beforeEnter: (to) =>
      policyPageOf(String(to.params.type))
        ? true
        : { name: "not-found", params: { pathMatch: to.path.slice(1).split("/") }, replace: true },
  },
  { path: "/control-plane", component: ControlPlanePage },
  { path: "/:pathMatch(.*)*", name: "not-found", component: NotFoundPage },
];

export function createGuiRouter() {
  return createRouter({ history: createWebHistory(), routes });
}
