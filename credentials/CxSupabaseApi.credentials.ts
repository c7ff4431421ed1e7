import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CxSupabaseApi implements ICredentialType {
	name = 'cxSupabaseApi';

	displayName = 'CX Supabase API';

	icon = 'file:../icons/supabase.svg' as const;

	documentationUrl = 'https://supabase.com/docs/guides/api/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Project URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://your-project.supabase.co',
			required: true,
		},
		{
			displayName: 'Service Role Key',
			name: 'serviceRoleKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The service_role key: the pack writes tickets and ledgers that row-level security keeps from the public keys',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				apikey: '={{$credentials.serviceRoleKey}}',
				Authorization: '=Bearer {{$credentials.serviceRoleKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/$/, "")}}/rest/v1',
			url: '/tickets',
			qs: { select: 'id', limit: 1 },
		},
	};
}
