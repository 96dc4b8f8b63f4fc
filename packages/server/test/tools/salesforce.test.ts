/** Every salesforce_* tool against the Salesforce emulator, through POST /api/v1/execute_tool. */
import { SALESFORCE_TOKEN, salesforceEmulator } from '../emulators/salesforce.ts';
import { toolSuite } from '../helpers/tool-suite.ts';

const auth = { authorization: `Bearer ${SALESFORCE_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const V = '/services/data/v60.0';

toolSuite({
  connector: 'salesforce',
  emulator: salesforceEmulator,
  account: { oauth_token: { access_token: SALESFORCE_TOKEN, scopes: ['api', 'refresh_token'] } },
  cases: [
    {
      tool: 'salesforce_soql_query',
      params: { query: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy' ORDER BY Name" },
      request: { method: 'GET', path: `${V}/query`, query: { q: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy' ORDER BY Name" }, headers: auth },
      data: {
        total_size: 2402,
        done: false,
        records: [
          { attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ4YAJ` }, Id: '001RO00000B2xJ4YAJ', Name: 'Acme Energy', Industry: 'Energy' },
          { attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ5YAJ` }, Id: '001RO00000B2xJ5YAJ', Name: 'Borealis Power', Industry: 'Energy' },
        ],
        next_records_url: `${V}/query/01gRO0000016PIAYA2-2000`,
      },
    },
    {
      tool: 'salesforce_query_more',
      params: { query_locator: '01gRO0000016PIAYA2-2000' },
      request: { method: 'GET', path: `${V}/query/01gRO0000016PIAYA2-2000`, headers: auth },
      data: {
        total_size: 2402,
        done: true,
        records: [{ attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2zZZYAZ` }, Id: '001RO00000B2zZZYAZ', Name: 'Zephyr Wind', Industry: 'Energy' }],
      },
    },
    {
      tool: 'salesforce_search',
      params: { search: 'FIND {ada@example.com} IN EMAIL FIELDS RETURNING Contact(Id, Name, Email), Lead(Id, Name, Email)' },
      request: { method: 'GET', path: `${V}/search`, query: { q: 'FIND {ada@example.com} IN EMAIL FIELDS RETURNING Contact(Id, Name, Email), Lead(Id, Name, Email)' }, headers: auth },
      data: {
        records: [
          { attributes: { type: 'Contact', url: `${V}/sobjects/Contact/003RO00000Fq1aBYAR` }, Id: '003RO00000Fq1aBYAR', Name: 'Ada Lovelace', Email: 'ada@example.com' },
          { attributes: { type: 'Lead', url: `${V}/sobjects/Lead/00QRO000005sN2kYAE` }, Id: '00QRO000005sN2kYAE', Name: 'Ada Byron', Email: 'ada@example.com' },
        ],
      },
    },
    {
      tool: 'salesforce_get_record',
      params: { sobject: 'Account', record_id: '001RO00000B2xJ4YAJ', fields: 'Id,Name,Industry' },
      request: { method: 'GET', path: `${V}/sobjects/Account/001RO00000B2xJ4YAJ`, query: { fields: 'Id,Name,Industry' }, headers: auth },
      data: { attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ4YAJ` }, Id: '001RO00000B2xJ4YAJ', Name: 'Acme Energy', Industry: 'Energy' },
    },
    {
      tool: 'salesforce_get_record',
      params: { sobject: 'Account', record_id: '001RO00000B2xJ4' },
      request: { method: 'GET', path: `${V}/sobjects/Account/001RO00000B2xJ4`, headers: auth },
      data: {
        attributes: { type: 'Account', url: `${V}/sobjects/Account/001RO00000B2xJ4` },
        Id: '001RO00000B2xJ4',
        Name: 'Acme Energy',
        Industry: 'Energy',
        AnnualRevenue: 125000000,
        BillingCity: 'Houston',
        OwnerId: '005RO000001vYhVYAU',
        CreatedDate: '2024-02-11T09:14:03.000+0000',
      },
    },
    {
      tool: 'salesforce_create_record',
      params: { sobject: 'Contact', fields: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', AccountId: '001RO00000B2xJ4YAJ', Newsletter__c: true } },
      request: {
        method: 'POST',
        path: `${V}/sobjects/Contact/`,
        headers: json,
        body: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', AccountId: '001RO00000B2xJ4YAJ', Newsletter__c: true },
      },
      data: { id: '003RO00000Fq9xQYAR', success: true, errors: [] },
    },
    {
      tool: 'salesforce_update_record',
      params: { sobject: 'Opportunity', record_id: '006RO00000AbCdEYAZ', fields: { StageName: 'Closed Won', Amount: 52000, NextStep: null } },
      request: { method: 'PATCH', path: `${V}/sobjects/Opportunity/006RO00000AbCdEYAZ`, headers: json, body: { StageName: 'Closed Won', Amount: 52000, NextStep: null } },
      data: { updated: true },
    },
    {
      tool: 'salesforce_describe_object',
      params: { sobject: 'Opportunity' },
      request: { method: 'GET', path: `${V}/sobjects/Opportunity/describe`, headers: auth },
      data: {
        name: 'Opportunity',
        label: 'Opportunity',
        key_prefix: '006',
        custom: false,
        createable: true,
        updateable: true,
        queryable: true,
        fields: [
          { name: 'Id', label: 'Opportunity ID', type: 'id', length: 18, nillable: false, createable: false, updateable: false, default_on_create: true, reference_to: [], picklist_values: [] },
          { name: 'AccountId', label: 'Account ID', type: 'reference', length: 18, nillable: true, createable: true, updateable: true, default_on_create: false, reference_to: ['Account'], picklist_values: [] },
          {
            name: 'StageName',
            label: 'Stage',
            type: 'picklist',
            length: 255,
            nillable: false,
            createable: true,
            updateable: true,
            default_on_create: false,
            reference_to: [],
            picklist_values: ['Prospecting', 'Closed Won'],
          },
        ],
      },
    },
  ],
});
