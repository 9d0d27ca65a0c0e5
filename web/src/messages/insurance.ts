// Texts of the insurance pages (coverage, enrolments, contributions, visits),
// in English and Mongolian; merged into the app's dictionaries by ../i18n.ts.
export const insuranceEn = {
  'nav.insurance': 'Insurance',
};

export const insuranceMn: Record<keyof typeof insuranceEn, string> = {
  'nav.insurance': 'Даатгал',
};
