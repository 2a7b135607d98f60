#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%% The CDF of the gateway's tests (issue 12): a real Diameter peer on Erlang/OTP's diameter application. It listens on
%% 127.0.0.1:PORT, answers CER, DWR and DPR as RFC 6733 says (the application does), and takes accounting requests
%% (RFC 6733 base accounting, Rf): each ACR is answered 2001 and written, one line per record, to RECORDS.
%% With "silent" as a third argument it writes each ACR and never answers it (a CDF that hangs).
%% Usage: charging_peer.escript PORT RECORDS [silent]
-mode(compile).

-include_lib("diameter/include/diameter.hrl").

%% the application's callbacks, each with the records file as an extra argument
-export([peer_up/4, peer_down/4, pick_peer/5, prepare_request/4, prepare_retransmit/4, handle_answer/5,
         handle_error/5, handle_request/4]).

main([Port, Records]) ->
    main([Port, Records, "answering"]);
main([Port, Records, Mode]) ->
    ok = diameter:start(),
    put(records, Records),
    Service = [{'Origin-Host', "cdf.test.example"},
               {'Origin-Realm', "test.example"},
               {'Vendor-Id', 0},
               {'Product-Name', "webims-test-cdf"},
               {'Acct-Application-Id', [3]},
               {decode_format, map},
               {application, [{alias, acct},
                              {dictionary, diameter_gen_base_accounting},
                              {module, [?MODULE, {Records, Mode}]}]}],
    ok = diameter:start_service(cdf, Service),
    {ok, _} = diameter:add_transport(cdf, {listen, [{transport_module, diameter_tcp},
                                                    {transport_config, [{reuseaddr, true},
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
    Line = io_lib:format("ACR session=~s type=~p number=~p t=~p~n",
                         [maps:get('Session-Id', Avps), maps:get('Accounting-Record-Type', Avps),
                          maps:get('Accounting-Record-Number', Avps), T]),
    ok = file:write_file(Records, Line, [append]),
    answer(Mode, Avps, OH, OR);
handle_request(_Packet, _Svc, _Peer, _State) ->
    {answer_message, 3001}.

answer("silent", _Avps, _OH, _OR) ->
    discard;
answer(_, Avps, OH, OR) ->
    {reply, ['ACA' | #{'Session-Id' => maps:get('Session-Id', Avps),
                       'Result-Code' => 2001,
                       'Origin-Host' => OH,
                       'Origin-Realm' => OR,
                       'Accounting-Record-Type' => maps:get('Accounting-Record-Type', Avps),
                       'Accounting-Record-Number' => maps:get('Accounting-Record-Number', Avps)}]}.
