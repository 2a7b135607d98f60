#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell +S 1 +SDio 1 +sbwt none +sbwtdcpu none +sbwtdio none
%% The CDF of the gateway's tests (issue 12): a real Diameter peer on Erlang/OTP's diameter application. It listens on
%% 127.0.0.1:PORT, answers CER, DWR and DPR as RFC 6733 says (the application does), and takes accounting requests
%% (RFC 6733 base accounting, Rf): each ACR is decoded with the Rf dictionary of TS 32.299 (rf_3gpp.dia beside this
%% script, compiled at start), answered 2001 and written, one line per record, to RECORDS: tab-separated key=value
%% fields (session, type, number, t, and the IMS-Information the tests check).
%% With "silent" as a third argument it writes each ACR and never answers it (a CDF that hangs).
%% Usage: charging_peer.escript PORT RECORDS [silent]
%% The emulator flags above: one scheduler and one dirty I/O scheduler, none spinning when idle (BEAM's schedulers
%% busy-wait by default): a test peer on the gateway's own cores takes only what its requests need. The records file
%% stays open (peer_files.erl beside this script).
-mode(compile).

-include_lib("diameter/include/diameter.hrl").

%% the application's callbacks, each with the records file as an extra argument
-export([peer_up/4, peer_down/4, pick_peer/5, prepare_request/4, prepare_retransmit/4, handle_answer/5,
         handle_error/5, handle_request/4]).

main([Port, Records]) ->
    main([Port, Records, "answering"]);
main([Port, RecordsPath, Mode]) ->
    load_peer_files(),
    Dictionary = peer_files:dictionary("rf_3gpp.dia", filename:dirname(RecordsPath)),
    Records = peer_files:records(RecordsPath),
    ok = diameter:start(),
    Service = [{'Origin-Host', "cdf-" ++ Port ++ ".test.example"},
               {'Origin-Realm', "test.example"},
               {'Vendor-Id', 0},
               {'Product-Name', "webims-test-cdf"},
               {'Acct-Application-Id', [3]},
               {decode_format, map},
               {string_decode, false}, % strings stay binaries: no list per OctetString decoded
               {traffic_counters, false}, % nobody reads them
               {application, [{alias, acct},
                              {dictionary, Dictionary},
                              {module, [?MODULE, {Records, Mode}]}]}],
    ok = diameter:start_service(cdf, Service),
    %% nodelay: without it (Nagle, RFC 896) an answer written while the one before is unacknowledged waits for
    %% the gateway's next request or delayed ACK (6 ms at 150 CCR/s, tens of ms under load)
    {ok, _} = diameter:add_transport(cdf, {listen, [{transport_module, diameter_tcp},
                                                    {transport_config, [{reuseaddr, true},
                                                                        {nodelay, true},
                                                                        {ip, {127, 0, 0, 1}},
                                                                        {port, list_to_integer(Port)}]}]}),
    io:format("listening on 127.0.0.1:~s~n", [Port]),
    receive stop -> ok end.

peer_up(_Svc, {_Ref, Caps}, State, _Records) ->
    io:format("peer up: ~p~n", [element(2, Caps#diameter_caps.origin_host)]),
    State.
peer_down(_Svc, _Peer, State, _Records) ->
    io:format("peer down~n"),
    State.
pick_peer(_, _, _Svc, _State, _Records) -> false.
prepare_request(Packet, _Svc, _Peer, _Records) -> {send, Packet}.
prepare_retransmit(Packet, _Svc, _Peer, _Records) -> {send, Packet}.
handle_answer(Packet, _Req, _Svc, _Peer, _Records) -> {ok, Packet}.
handle_error(Reason, _Req, _Svc, _Peer, _Records) -> {error, Reason}.

%% ACR: written, then answered (RFC 6733 §9.7.2)
handle_request(#diameter_packet{msg = ['ACR' | Avps], header = Header}, _Svc, {_, Caps}, {Records, Mode}) ->
    #diameter_caps{origin_host = {OH, _}, origin_realm = {OR, _}} = Caps, % ours first, the peer's second
    T = Header#diameter_header.is_retransmitted,
    Line = try record_line(Avps, T)
           catch C:E -> io_lib:format("session=~s\terror=~p:~p", [maps:get('Session-Id', Avps), C, E])
           end,
    peer_files:write(Records, [Line, "\n"]),
    answer(Mode, Avps, OH, OR);
handle_request(_Packet, _Svc, _Peer, _State) ->
    {answer_message, 3001}.

%% peer_files (beside this script): the dictionary, records and control files the three test peers share.
load_peer_files() ->
    Source = filename:join(filename:dirname(escript:script_name()), "peer_files.erl"),
    {ok, peer_files, Beam} = compile:file(Source, [binary, report]),
    {module, peer_files} = code:load_binary(peer_files, Source, Beam).

%% One line per ACR: tab-separated key=value, what the tests assert on.
record_line(Avps, T) ->
    Info = one(maps:get('Service-Information', Avps, [])),
    Ims = one(maps:get('IMS-Information', Info, [])),
    Stamps = one(maps:get('Time-Stamps', Ims, #{})),
    Fields = [{session, maps:get('Session-Id', Avps)},
              {type, maps:get('Accounting-Record-Type', Avps)},
              {number, maps:get('Accounting-Record-Number', Avps)},
              {t, T},
              {dest, opt(maps:get('Destination-Host', Avps, []))},
              {user, opt(maps:get('User-Name', Avps, []))},
              {context, opt(maps:get('Service-Context-Id', Avps, []))},
              {interim, opt(maps:get('Acct-Interim-Interval', Avps, []))},
              {subscription, [[integer_to_list(maps:get('Subscription-Id-Type', S)), ":",
                               maps:get('Subscription-Id-Data', S)] || S <- maps:get('Subscription-Id', Info, [])]},
              {method, opt(maps:get('SIP-Method', one(maps:get('Event-Type', Ims, #{})), []))},
              {role, opt(maps:get('Role-Of-Node', Ims, []))},
              {node, opt(maps:get('Node-Functionality', Ims, []))},
              {calling, opt(maps:get('Calling-Party-Address', Ims, []))},
              {called, lists:join(",", maps:get('Called-Party-Address', Ims, []))},
              {icid, opt(maps:get('IMS-Charging-Identifier', Ims, []))},
              {cause, opt(maps:get('Cause-Code', Ims, []))},
              {requested, time(maps:get('SIP-Request-Timestamp', Stamps, []))},
              {answered, time(maps:get('SIP-Response-Timestamp', Stamps, []))},
              {provider, lists:join(",", [opt(maps:get('Service-Specific-Data', P, []))
                                          || P <- maps:get('Service-Specific-Info', Ims, [])])},
              {media, lists:join("|", [media(M) || M <- maps:get('SDP-Media-Component', Ims, [])])},
              {unknown, length(maps:get('AVP', Avps, [])) + length(maps:get('AVP', Info, []))
                        + length(maps:get('AVP', Ims, []))}],
    lists:join("\t", [[atom_to_list(K), "=", value(V)] || {K, V} <- Fields]).

%% "audio realm=1 transcoder=0 a=rtpmap:opus,a=rtpmap:telephone-event"
media(M) ->
    [opt(maps:get('SDP-Media-Name', M, [])), " realm=", opt(maps:get('IP-Realm-Default-Indication', M, [])),
     " transcoder=", opt(maps:get('Transcoder-Inserted-Indication', M, [])), " ",
     lists:join(",", maps:get('SDP-Media-Description', M, []))].

one(M) when is_map(M) -> M;
one([M]) -> M;
one([]) -> #{}.

opt([]) -> "";
opt([V]) -> value(V);
opt(V) -> value(V).

time([T]) -> time(T);
time({{Y, Mo, D}, {H, Mi, S}}) ->
    io_lib:format("~4..0B-~2..0B-~2..0BT~2..0B:~2..0B:~2..0BZ", [Y, Mo, D, H, Mi, S]);
time(_) -> "".

value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_atom(V) -> atom_to_list(V);
value(V) when is_binary(V) -> binary_to_list(V);
value(V) -> V.

answer("silent", _Avps, _OH, _OR) ->
    discard;
answer(_, Avps, OH, OR) ->
    {reply, ['ACA' | #{'Session-Id' => maps:get('Session-Id', Avps),
                       'Result-Code' => 2001,
                       'Origin-Host' => OH,
                       'Origin-Realm' => OR,
                       'Accounting-Record-Type' => maps:get('Accounting-Record-Type', Avps),
                       'Accounting-Record-Number' => maps:get('Accounting-Record-Number', Avps)}]}.
