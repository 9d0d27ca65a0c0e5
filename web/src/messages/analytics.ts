// Texts of the analysis pages (RIMA-II resilience, poverty and PMT), in
// English and Mongolian; merged into the app's dictionaries by ../i18n.ts.
export const analyticsEn = {
  'nav.analytics': 'Resilience and poverty',
};

export const analyticsMn: Record<keyof typeof analyticsEn, string> = {
  'nav.analytics': 'Тэсвэрт чадвар ба ядуурал',
};
