/** Every zoominfo_* tool against the ZoomInfo GTM API emulator, through POST /api/v1/execute_tool. */
import { ZOOMINFO_TOKEN, zoominfoEmulator } from '../emulators/zoominfo.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const headers = { authorization: `Bearer ${ZOOMINFO_TOKEN}`, 'content-type': 'application/json', accept: 'application/vnd.api+json' };

const CONTACT_FIELDS = ['id', 'firstName', 'lastName', 'email', 'phone', 'mobilePhone', 'jobTitle', 'managementLevel', 'companyId', 'companyName', 'city', 'state', 'country', 'externalUrls'];
const COMPANY_FIELDS = ['id', 'name', 'website', 'phone', 'street', 'city', 'state', 'country', 'employeeCount', 'revenue', 'industries', 'ticker', 'parentName'];

toolSuite({
  connector: 'zoominfo',
  emulator: zoominfoEmulator,
  account: { oauth_token: { access_token: ZOOMINFO_TOKEN, scopes: ['api:data:company', 'api:data:contact', 'offline_access'] } },
  cases: [
    {
      tool: 'zoominfo_search_contacts',
      params: { company_name: 'ZoomInfo', management_level: 'C Level Exec', contact_accuracy_score_min: 90, sort: '-contactAccuracyScore', page: 4, page_size: 10 },
      request: {
        method: 'POST',
        path: '/data/v1/contacts/search',
        query: { 'page[number]': '4', 'page[size]': '10', sort: '-contactAccuracyScore' },
        headers,
        body: { data: { type: 'ContactSearch', attributes: { companyName: 'ZoomInfo', managementLevel: 'C Level Exec', contactAccuracyScoreMin: 90 } } },
      },
      data: {
        contacts: [
          {
            id: '4191419698',
            first_name: 'Filip',
            last_name: 'Popovic',
            job_title: 'Chief Technology Officer',
            company: { id: 344589814, name: 'ZoomInfo' },
            contact_accuracy_score: 95,
            has_email: true,
            has_direct_phone: false,
            has_mobile_phone: true,
            last_updated: '2025-04-04T18:13:00Z',
          },
          {
            id: '1260398587',
            first_name: 'Henry',
            middle_name: 'L.',
            last_name: 'Schuck',
            job_title: 'Chief Executive Officer & Board Member',
            company: { id: 344589814, name: 'ZoomInfo' },
            contact_accuracy_score: 94,
            has_email: true,
            has_direct_phone: true,
            has_mobile_phone: false,
            last_updated: '2024-10-21T14:05:00Z',
          },
        ],
        page: 4,
        total_pages: 302,
        total_results: 3016,
      },
    },
    {
      tool: 'zoominfo_search_contacts',
      params: { first_name: 'Filip', last_name: 'Popovic', company_website: 'zoominfo.com' },
      request: {
        method: 'POST',
        path: '/data/v1/contacts/search',
        query: { 'page[number]': '1', 'page[size]': '25' },
        headers,
        body: { data: { type: 'ContactSearch', attributes: { firstName: 'Filip', lastName: 'Popovic', companyWebsite: 'zoominfo.com' } } },
      },
      data: {
        contacts: [
          {
            id: '4191419698',
            first_name: 'Filip',
            last_name: 'Popovic',
            job_title: 'Chief Technology Officer',
            company: { id: 344589814, name: 'ZoomInfo' },
            contact_accuracy_score: 95,
            has_email: true,
            has_direct_phone: false,
            has_mobile_phone: true,
            last_updated: '2025-04-04T18:13:00Z',
          },
          {
            id: '1260398587',
            first_name: 'Henry',
            middle_name: 'L.',
            last_name: 'Schuck',
            job_title: 'Chief Executive Officer & Board Member',
            company: { id: 344589814, name: 'ZoomInfo' },
            contact_accuracy_score: 94,
            has_email: true,
            has_direct_phone: true,
            has_mobile_phone: false,
            last_updated: '2024-10-21T14:05:00Z',
          },
        ],
        page: 1,
        total_pages: 121,
        total_results: 3016,
      },
    },
    {
      tool: 'zoominfo_search_companies',
      params: { company_name: 'ZoomInfo', revenue_min: 50000, employee_range_min: '500', country: 'United States' },
      request: {
        method: 'POST',
        path: '/data/v1/companies/search',
        query: { 'page[number]': '1', 'page[size]': '25' },
        headers,
        body: { data: { type: 'CompanySearch', attributes: { companyName: 'ZoomInfo', employeeRangeMin: '500', revenueMin: 50000, country: 'United States' } } },
      },
      data: {
        companies: [
          { id: '344589814', name: 'ZoomInfo', website: 'www.zoominfo.com', employee_count: 3516, revenue: 1240000, city: 'Vancouver', state: 'Washington', country: 'United States' },
          { id: '104333869', name: 'ZoomInfo Technologies Israel', website: 'www.zoominfo.com', country: 'Israel' },
        ],
        page: 1,
        total_pages: 1,
        total_results: 2,
      },
    },
    {
      tool: 'zoominfo_enrich_contacts',
      params: { people: [{ personId: '4191419698' }, { firstName: 'Nobody', lastName: 'Known', companyName: 'Nowhere' }] },
      request: {
        method: 'POST',
        path: '/data/v1/contacts/enrich',
        headers,
        body: {
          data: {
            type: 'ContactEnrich',
            attributes: { matchPersonInput: [{ personId: '4191419698' }, { firstName: 'Nobody', lastName: 'Known', companyName: 'Nowhere' }], outputFields: CONTACT_FIELDS },
          },
        },
      },
      data: {
        contacts: [
          {
            id: '4191419698',
            match_status: 'FULL_MATCH',
            fields: {
              id: 4191419698,
              firstName: 'Filip',
              lastName: 'Popovic',
              email: 'filip.popovic@zoominfo.com',
              phone: '+1 360-555-0142',
              mobilePhone: '+1 360-555-0199',
              jobTitle: 'Chief Technology Officer',
              managementLevel: ['C-Level'],
              companyId: 344589814,
              companyName: 'ZoomInfo',
              city: 'Vancouver',
              state: 'Washington',
              country: 'United States',
              externalUrls: [{ type: 'linkedin.com', url: 'https://www.linkedin.com/in/filip-popovic' }],
            },
          },
          { match_status: 'NO_MATCH', fields: {} },
        ],
      },
    },
    {
      tool: 'zoominfo_enrich_contacts',
      params: { people: [{ emailAddress: 'filip.popovic@zoominfo.com' }], output_fields: ['email', 'contactAccuracyScore'] },
      request: {
        method: 'POST',
        path: '/data/v1/contacts/enrich',
        headers,
        body: { data: { type: 'ContactEnrich', attributes: { matchPersonInput: [{ emailAddress: 'filip.popovic@zoominfo.com' }], outputFields: ['email', 'contactAccuracyScore'] } } },
      },
      data: { contacts: [{ id: '4191419698', match_status: 'FULL_MATCH', fields: { email: 'filip.popovic@zoominfo.com', contactAccuracyScore: 95 } }] },
    },
    {
      tool: 'zoominfo_enrich_companies',
      params: { companies: [{ companyId: '344589814' }] },
      request: {
        method: 'POST',
        path: '/data/v1/companies/enrich',
        headers,
        body: { data: { type: 'CompanyEnrich', attributes: { matchCompanyInput: [{ companyId: '344589814' }], outputFields: COMPANY_FIELDS } } },
      },
      data: {
        companies: [
          {
            id: '344589814',
            match_status: 'FULL_MATCH',
            fields: {
              id: 344589814,
              name: 'ZoomInfo',
              website: 'www.zoominfo.com',
              phone: '(360) 733-1000',
              street: '805 Broadway Street, Suite 900',
              city: 'Vancouver',
              state: 'Washington',
              country: 'United States',
              employeeCount: 3516,
              revenue: 1240000,
              industries: [{ name: 'Software', primary: true }],
              ticker: 'NASDAQ: GTM',
              parentName: null,
            },
          },
        ],
      },
    },
  ],
});
