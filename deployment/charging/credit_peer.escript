#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell +S 1 +SDio 1 +sbwt none +sbwtdcpu none +sbwtdio none
%% The OCS of the gateway's tests (issue 12): a real Diameter peer on Erlang/OTP's diameter application doing RFC 4006
%% credit control (application 4) with the Ro dictionary of TS 32.299 beside this script (ro_3gpp.dia, compiled at
%% start). It listens on 127.0.0.1:PORT, answers CER, DWR and DPR (the application does), and for each CCR writes one
%% line to RECORDS (tab-separated key=value) and answers as CONTROL says. CONTROL, read again on a request once it
%% changed (peer_files: write it by rename, or in place with another size), has lines:
%%   mode answering|silent|busy|slow  silent: takes requests and never answers; busy: 3004 DIAMETER_TOO_BUSY;
%%                                  slow: holds each CCR (its own process waits, watchdogs go on) until the mode is
%%                                  changed, then answers it as the new mode says: an OCS as slow as the test wants
%%   grant SECONDS                  the most one reservation grants
%%   ccfh -1|0|1|2                  the Credit-Control-Failure-Handling of each CCA (-1: none)
%%   balance IMPU SECONDS STAMP     a subscriber's balance; a new STAMP sets it again
%%   default SECONDS                the balance of a subscriber with no balance line (none: 5030 for them)
%%   refusal top|mscc               where a refusal's Result-Code goes: the message's (top, the default), or only the
%%                                  Multiple-Services-Credit-Control's with 2001 in the message (the session is open)
%% Unit reservation: CCR-INITIAL and -UPDATE grant min(grant, balance), the last units with a Final-Unit-Indication
%% TERMINATE; used units (CC-Time of Used-Service-Unit) come off the balance; no balance left: 4012; a subscriber
%% without one: 5030. EVENT with DIRECT_DEBITING takes one unit. The OCS keeps its credit-control sessions: an UPDATE
%% or TERMINATION of a session it does not hold (another OCS's, or one it closed) gets 5002 DIAMETER_UNKNOWN_SESSION_ID,
%% unless it is flagged T (a failover: the session is taken over).
%% Usage: credit_peer.escript PORT RECORDS CONTROL
%% The emulator flags above: one scheduler and one dirty I/O scheduler, none spinning when idle (BEAM's schedulers
%% busy-wait by default): a test peer on the gateway's own cores takes only what its requests need. The records file
%% stays open and the control file is parsed once per version (peer_files.erl beside this script).
-mode(compile).

-include_lib("diameter/include/diameter.hrl").

-export([peer_up/4, peer_down/4, pick_peer/5, prepare_request/4, prepare_retransmit/4, handle_answer/5,
         handle_error/5, handle_request/4]).

main([Port, RecordsPath, ControlPath]) ->
    load_peer_files(),
    Dictionary = peer_files:dictionary("ro_3gpp.dia", filename:dirname(RecordsPath)),
    Records = peer_files:records(RecordsPath),
    Control = peer_files:control(ControlPath),
    ets:new(balances, [named_table, public, set]),
    ets:new(sessions, [named_table, public, set]),
    ok = diameter:start(),
    Service = [{'Origin-Host', "ocs-" ++ Port ++ ".test.example"},
               {'Origin-Realm', "test.example"},
               {'Vendor-Id', 0},
               {'Product-Name', "webims-test-ocs"},
               {'Auth-Application-Id', [4]},
               {decode_format, map},
               {string_decode, false}, % strings stay binaries: no list per OctetString decoded
               {traffic_counters, false}, % nobody reads them
               {application, [{alias, cc},
                              {dictionary, Dictionary},
                              {module, [?MODULE, {Records, Control}]}]}],
    ok = diameter:start_service(ocs, Service),
    %% nodelay: without it (Nagle, RFC 896) an answer written while the one before is unacknowledged waits for
    %% the gateway's next request or delayed ACK (6 ms at 150 CCR/s, tens of ms under load)
    {ok, _} = diameter:add_transport(ocs, {listen, [{transport_module, diameter_tcp},
                                                    {transport_config, [{reuseaddr, true},
                                                                        {nodelay, true},
                                                                        {ip, {127, 0, 0, 1}},
                                                                        {port, list_to_integer(Port)}]}]}),
    io:format("listening on 127.0.0.1:~s~n", [Port]),
    receive stop -> ok end.

%% peer_files (beside this script): the dictionary, records and control files the three test peers share.
load_peer_files() ->
    Source = filename:join(filename:dirname(escript:script_name()), "peer_files.erl"),
    {ok, peer_files, Beam} = compile:file(Source, [binary, report]),
    {module, peer_files} = code:load_binary(peer_files, Source, Beam).

peer_up(_Svc, _Peer, State, _Args) -> State.
peer_down(_Svc, _Peer, State, _Args) -> State.
pick_peer(_, _, _Svc, _State, _Args) -> false.
prepare_request(Packet, _Svc, _Peer, _Args) -> {send, Packet}.
prepare_retransmit(Packet, _Svc, _Peer, _Args) -> {send, Packet}.
handle_answer(Packet, _Req, _Svc, _Peer, _Args) -> {ok, Packet}.
handle_error(Reason, _Req, _Svc, _Peer, _Args) -> {error, Reason}.

handle_request(#diameter_packet{msg = ['CCR' | Avps], header = Header}, _Svc, {_, Caps}, {Records, Control}) ->
    #diameter_caps{origin_host = {OH, _}, origin_realm = {OR, _}} = Caps,
    Ctl = settle(peer_files:settings(Control), Control),
    Type = maps:get('CC-Request-Type', Avps),
    User = case maps:get('Subscription-Id', Avps, []) of
               [S | _] -> binary_to_list(maps:get('Subscription-Id-Data', S));
               [] -> ""
           end,
    Mscc = case maps:get('Multiple-Services-Credit-Control', Avps, []) of [M | _] -> M; [] -> #{} end,
    Requested = units(maps:get('Requested-Service-Unit', Mscc, [])),
    Used = lists:sum([units([U]) || U <- maps:get('Used-Service-Unit', Mscc, [])]),
    Action = case maps:get('Requested-Action', Avps, []) of [A] -> integer_to_list(A); [] -> "" end,
    Mode = maps:get("mode", Ctl, "answering"),
    Session = maps:get('Session-Id', Avps),
    {Result, Granted, Final} = case Mode of
                                   "answering" ->
                                       Retransmitted = Header#diameter_header.is_retransmitted,
                                       in_session(Type, Session, Retransmitted,
                                                  fun() -> decide(Type, User, Used, Ctl) end);
                                   _ -> {Mode, none, false}
                               end,
    Top = case {maps:get("refusal", Ctl, "top"), Result} of
              {"mscc", R} when is_integer(R), R >= 4000, R < 5000 -> 2001;
              _ -> Result
          end,
    case {Type, Top} of
        {1, 2001} -> ets:insert(sessions, {Session});
        {3, _} -> ets:delete(sessions, Session);
        _ -> ok
    end,
    Line = [lists:join("\t", [["session=", maps:get('Session-Id', Avps)],
                              ["type=", integer_to_list(Type)],
                              ["number=", integer_to_list(maps:get('CC-Request-Number', Avps))],
                              ["t=", atom_to_list(Header#diameter_header.is_retransmitted)],
                              ["user=", User],
                              ["requested=", value(Requested)],
                              ["used=", integer_to_list(Used)],
                              ["action=", Action],
                              ["result=", value(Result)],
                              ["top=", value(Top)],
                              ["granted=", value(Granted)],
                              ["final=", atom_to_list(Final)]]), "\n"],
    peer_files:write(Records, Line),
    case Mode of
        "silent" -> discard;
        "busy" -> {answer_message, 3004};
        _ -> {reply, ['CCA' | cca(Avps, OH, OR, Top, Result, Granted, Final, Ctl)]}
    end;
handle_request(_Packet, _Svc, _Peer, _Args) ->
    {answer_message, 3001}.

%% mode slow: the request waits, in the process diameter spawned for it, until the test changes the mode.
settle(Ctl, Control) ->
    case maps:get("mode", Ctl, "answering") of
        "slow" -> timer:sleep(50), settle(peer_files:settings(Control), Control);
        _ -> Ctl
    end.

%% RFC 4006 §8.1: UPDATE and TERMINATION belong to a session this OCS holds. One flagged T came by failover from the
%% other OCS of the pair: this one takes the session over (a redundant pair shares its sessions, RFC 4006 §5.7).
in_session(Type, Session, Retransmitted, Decide) when Type =:= 2; Type =:= 3 ->
    case ets:member(sessions, Session) orelse Retransmitted of
        true -> ets:insert(sessions, {Session}), Decide();
        false -> {5002, none, false}
    end;
in_session(_Type, _Session, _Retransmitted, Decide) ->
    Decide().

%% RFC 4006 §5: INITIAL/UPDATE reserve, UPDATE/TERMINATION take the used units, EVENT debits one unit.
decide(Type, User, Used, Ctl) ->
    case balance(User, Ctl) of
        undefined -> {5030, none, false};
        Balance0 ->
            Balance = Balance0 - Used,
            ets:update_element(balances, User, {2, Balance}),
            Grant = list_to_integer(maps:get("grant", Ctl, "30")),
            case Type of
                3 -> {2001, none, false};
                4 when Balance =< 0 -> {4012, none, false};
                4 -> ets:update_element(balances, User, {2, Balance - 1}), {2001, none, false};
                _ when Balance =< 0 -> {4012, none, false};
                _ -> G = min(Grant, Balance), {2001, G, G >= Balance}
            end
    end.

%% The subscriber's balance now; set again from CONTROL when its line (value and stamp) changed.
balance(User, Ctl) ->
    Default = case maps:get("default", Ctl, undefined) of
                  undefined -> undefined;
                  D -> D ++ " default"
              end,
    case maps:get("balance " ++ User, Ctl, Default) of
        undefined -> undefined;
        Line ->
            case ets:lookup(balances, User) of
                [{User, Balance, Line}] -> Balance;
                _ ->
                    [Seconds | _] = string:lexemes(Line, " "),
                    ets:insert(balances, {User, list_to_integer(Seconds), Line}),
                    list_to_integer(Seconds)
            end
    end.

cca(Avps, OH, OR, Top, Result, Granted, Final, Ctl) ->
    Units = case Granted of
                none -> #{};
                G -> #{'Granted-Service-Unit' => [#{'CC-Time' => [G]}]}
            end,
    Fui = case Final of
              true -> #{'Final-Unit-Indication' => [#{'Final-Unit-Action' => 0}]};
              false -> #{}
          end,
    Mscc = maps:merge(maps:merge(Units, Fui), #{'Result-Code' => [Result]}),
    Ccfh = case list_to_integer(maps:get("ccfh", Ctl, "-1")) of
               -1 -> #{};
               C -> #{'Credit-Control-Failure-Handling' => [C]}
           end,
    maps:merge(#{'Session-Id' => maps:get('Session-Id', Avps),
                 'Result-Code' => Top,
                 'Origin-Host' => OH,
                 'Origin-Realm' => OR,
                 'Auth-Application-Id' => 4,
                 'CC-Request-Type' => maps:get('CC-Request-Type', Avps),
                 'CC-Request-Number' => maps:get('CC-Request-Number', Avps),
                 'Multiple-Services-Credit-Control' => [Mscc]}, Ccfh).

units([#{'CC-Time' := [T]} | _]) -> T;
units([#{'CC-Service-Specific-Units' := [U]} | _]) -> U;
units(_) -> 0.

value(none) -> "";
value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_atom(V) -> atom_to_list(V);
value(V) -> V.
