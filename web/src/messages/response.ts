// Texts of the shock-response pages (events, plans, payrolls, payments), in
// English and Mongolian; merged into the app's dictionaries by ../i18n.ts.
export const responseEn = {
  'nav.response': 'Shock response',
};

export const responseMn: Record<keyof typeof responseEn, string> = {
  'nav.response': 'Гамшгийн үеийн дэмжлэг',
};
