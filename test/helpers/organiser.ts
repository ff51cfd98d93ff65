/** A real organiser (not a demonstration), as content/organiser.json holds it. */
export const ORGANISER = {
  currentEdition: 'by-date',
  province: 'nghe-an',
  controller: {
    name: {
      vi: 'Sở Giáo dục và Đào tạo tỉnh Nghệ An',
      en: 'Nghe An Department of Education and Training',
    },
    address: { vi: '83 Trường Thi, TP. Vinh, Nghệ An', en: '83 Truong Thi, Vinh, Nghe An' },
  },
  contacts: { phone: '0238 3844 000', email: 'tuanle@nghean.edu.vn' },
};
