-- CX Director: a customer's data request lists the returns decided on their orders. return_decisions keeps no
-- customer's name, address or id and no words of theirs (the decision is stored without its sentences): an erasure
-- has nothing to remove from it, and its rows keep the order's id as compensation_ledger's do. An export, though,
-- lists them: cx_privacy_export as it was (kept under cx_privacy_export_before_returns) with the rows of the orders
-- asked about added. Idempotent, like the other migrations.

do $$
begin
	if not exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = 'cx_privacy_export_before_returns') then
		alter function public.cx_privacy_export(text[], text[], text[]) rename to cx_privacy_export_before_returns;
	end if;
end;
$$;

create or replace function public.cx_privacy_export(customer_ids text[], emails text[], order_ids text[])
returns jsonb
language sql
stable
set search_path = ''
as $$
	select public.cx_privacy_export_before_returns(customer_ids, emails, order_ids) || jsonb_build_object(
		'return_decisions', coalesce((select jsonb_agg(to_jsonb(r) order by r.created_at, r.id) from public.return_decisions r
			where r.order_id in (select unnest(coalesce(order_ids, '{}')))), '[]')
	);
$$;

revoke all on function public.cx_privacy_export_before_returns(text[], text[], text[]) from public, anon, authenticated;
revoke all on function public.cx_privacy_export(text[], text[], text[]) from public, anon, authenticated;
grant execute on function public.cx_privacy_export(text[], text[], text[]) to service_role;
