#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell +S 1 +SDio 1 +sbwt none +sbwtdcpu none +sbwtdio none
%% The PCRF of the gateway's tests (issue 13): a real Diameter peer on Erlang/OTP's diameter application doing Rx
%% (TS 29.214, application 16777236) with the dictionary beside this script (rx_3gpp.dia, compiled at start). It
%% listens on 127.0.0.1:PORT, answers CER, DWR and DPR (the application does), writes one line to RECORDS
%% (tab-separated key=value) for each AAR and STR it takes and for each answer to the ASRs and RARs it sends, and
%% answers as CONTROL says. CONTROL is looked at on every request and every 100 ms, and read again once it changed
%% (peer_files: write it by rename, or in place with another size):
%%   mode answering|silent|refuse   silent: takes requests and never answers; refuse: AAA with Experimental-Result
%%                                  5063 REQUESTED_SERVICE_NOT_AUTHORIZED (an STR is still answered 2001)
%%   abort STAMP                    a new STAMP: an ASR (Abort-Cause BEARER_RELEASED) for every session it holds
%%   lose STAMP                     a new STAMP: a RAR reporting INDICATION_OF_LOSS_OF_BEARER for every session
%% A session is held from an AAR answered 2001 until its STR; an update AAR (Rx-Request-Type 1) or an STR of a session
%% it does not hold gets 5002 DIAMETER_UNKNOWN_SESSION_ID. An AAR or STR the dictionary finds fault with (a required AVP
%% missing, an unknown AVP flagged M, too many of one: 5005, 5001, 5009) is answered with that Result-Code and a
%% Failed-AVP (the diameter application sets them), recorded with result=CODE and errors=CODE,..., and changes no
%% session. An answer to its ASR or RAR that does not decode is recorded as result=error:CODE.
%% Usage: policy_peer.escript PORT RECORDS CONTROL
%% The emulator flags above: one scheduler and one dirty I/O scheduler, none spinning when idle (BEAM's schedulers
%% busy-wait by default): a test peer on the gateway's own cores takes only what its requests need. The records file
%% stays open and the control file is parsed once per version (peer_files.erl beside this script).
-mode(compile).

-include_lib("diameter/include/diameter.hrl").

-export([peer_up/4, peer_down/4, pick_peer/5, prepare_request/4, prepare_retransmit/4, handle_answer/5,
         handle_error/5, handle_request/4]).

-define(RX, 16777236).

main([Port, RecordsPath, ControlPath]) ->
    load_peer_files(),
    Dictionary = peer_files:dictionary("rx_3gpp.dia", filename:dirname(RecordsPath)),
    Records = peer_files:records(RecordsPath),
    Control = peer_files:control(ControlPath),
    ets:new(sessions, [named_table, public, set]),
    ok = diameter:start(),
    Service = [{'Origin-Host', "pcrf-" ++ Port ++ ".test.example"},
               {'Origin-Realm', "test.example"},
               {'Vendor-Id', 0},
               {'Product-Name', "webims-test-pcrf"},
               {'Auth-Application-Id', [?RX]},
               {decode_format, map},
               {application, [{alias, rx},
                              {answer_errors, callback},
                              {dictionary, Dictionary},
                              {module, [?MODULE, {Records, Control}]}]}],
    ok = diameter:start_service(pcrf, Service),
    %% nodelay: without it (Nagle, RFC 896) an answer written while the one before is unacknowledged waits for
    %% the gateway's next request or delayed ACK (6 ms at 150 CCR/s, tens of ms under load)
    {ok, _} = diameter:add_transport(pcrf, {listen, [{transport_module, diameter_tcp},
                                                     {transport_config, [{reuseaddr, true},
                                                                         {nodelay, true},
                                                                         {ip, {127, 0, 0, 1}},
                                                                         {port, list_to_integer(Port)}]}]}),
    io:format("listening on 127.0.0.1:~s~n", [Port]),
    Initial = peer_files:settings(Control),
    watch(Records, Control, maps:get("abort", Initial, none), maps:get("lose", Initial, none)).

%% Every 100 ms: a new abort or lose stamp sends an ASR or a RAR for each session held.
watch(Records, Control, Abort, Lose) ->
    timer:sleep(100),
    Ctl = peer_files:settings(Control),
    NewAbort = maps:get("abort", Ctl, none),
    NewLose = maps:get("lose", Ctl, none),
    NewAbort =/= Abort andalso NewAbort =/= none andalso each_session(fun(S) -> abort(S, Records) end),
    NewLose =/= Lose andalso NewLose =/= none andalso each_session(fun(S) -> lose(S, Records) end),
    watch(Records, Control, NewAbort, NewLose).

each_session(F) ->
    [spawn(fun() -> F(S) end) || {S} <- ets:tab2list(sessions)],
    true.

%% TS 29.214 §4.4.4: the PCRF ends the session.
abort(Session, Records) ->
    Answer = diameter:call(pcrf, rx, ['ASR' | #{'Session-Id' => Session,
                                                'Auth-Application-Id' => ?RX,
                                                'Abort-Cause' => 0}]),
    write(Records, [["command=ASA"], ["session=", Session], ["result=", outcome(Answer)]]).

%% TS 29.214 §4.4.6.5: the bearer is lost.
lose(Session, Records) ->
    Answer = diameter:call(pcrf, rx, ['RAR' | #{'Session-Id' => Session,
                                                'Auth-Application-Id' => ?RX,
                                                'Specific-Action' => [2],
                                                'Re-Auth-Request-Type' => [0]}]),
    write(Records, [["command=RAA"], ["session=", Session], ["result=", outcome(Answer)]]).

outcome({ok, #diameter_packet{errors = [_ | _] = Errors}}) -> "error:" ++ codes(Errors);
outcome({ok, #diameter_packet{msg = [_ | Avps]}}) -> result(Avps);
outcome({ok, [_ | Avps]}) -> result(Avps);
outcome({error, Reason}) -> io_lib:format("error:~p", [Reason]);
outcome(Other) -> io_lib:format("error:~p", [Other]).

result(#{'Result-Code' := [R]}) -> integer_to_list(R);
result(#{'Result-Code' := R}) when is_integer(R) -> integer_to_list(R);
result(_) -> "none".

%% peer_files (beside this script): the dictionary, records and control files the three test peers share.
load_peer_files() ->
    Source = filename:join(filename:dirname(escript:script_name()), "peer_files.erl"),
    {ok, peer_files, Beam} = compile:file(Source, [binary, report]),
    {module, peer_files} = code:load_binary(peer_files, Source, Beam).

peer_up(_Svc, _Peer, State, _Args) -> State.
peer_down(_Svc, _Peer, State, _Args) -> State.
%% Requests this PCRF sends go to the one peer connected: the gateway.
pick_peer([Peer | _], _, _Svc, _State, _Args) -> {ok, Peer};
pick_peer([], _, _Svc, _State, _Args) -> false.
%% The origin and the destination (the gateway, as it named itself in its CER) come from the capabilities exchange.
prepare_request(#diameter_packet{msg = [Name | Avps]}, _Svc, {_, Caps}, _Args) ->
    #diameter_caps{origin_host = {OH, DH}, origin_realm = {OR, DR}} = Caps,
    {send, [Name | Avps#{'Origin-Host' => OH, 'Origin-Realm' => OR,
                         'Destination-Host' => DH, 'Destination-Realm' => DR}]}.
prepare_retransmit(Packet, Svc, Peer, Args) -> prepare_request(Packet, Svc, Peer, Args).
handle_answer(Packet, _Req, _Svc, _Peer, _Args) -> {ok, Packet}.
handle_error(Reason, _Req, _Svc, _Peer, _Args) -> {error, Reason}.

handle_request(#diameter_packet{msg = ['AAR' | Avps], header = Header, errors = Errors}, _Svc, {_, Caps},
               {Records, Control}) ->
    #diameter_caps{origin_host = {OH, _}, origin_realm = {OR, _}} = Caps,
    Session = maps:get('Session-Id', Avps),
    Type = case maps:get('Rx-Request-Type', Avps, []) of [T] -> T; _ -> none end,
    Mode = maps:get("mode", peer_files:settings(Control), "answering"),
    Result = case {Mode, Type, ets:member(sessions, Session)} of
                 {"silent", _, _} -> silent;
                 _ when Errors =/= [] -> first_code(Errors);
                 {_, 1, false} -> 5002;
                 {"refuse", _, _} -> 5063;
                 _ -> 2001
             end,
    Result =:= 2001 andalso ets:insert(sessions, {Session}),
    Components = maps:get('Media-Component-Description', Avps, []),
    write(Records, [["command=AAR"], ["session=", Session],
                    ["t=", atom_to_list(Header#diameter_header.is_retransmitted)],
                    ["type=", value(Type)],
                    ["icid=", text(maps:get('AF-Charging-Identifier', Avps, []))],
                    ["app=", text(maps:get('AF-Application-Identifier', Avps, []))],
                    ["user=", user(maps:get('Subscription-Id', Avps, []))],
                    ["framed=", framed(maps:get('Framed-IP-Address', Avps, []))],
                    ["actions=", numbers(maps:get('Specific-Action', Avps, []))],
                    ["components=", integer_to_list(length(Components))]]
                   ++ components(Components, 1) ++ [["result=", value(Result)] | errors(Errors)]),
    Base = #{'Session-Id' => Session, 'Auth-Application-Id' => ?RX, 'Origin-Host' => OH, 'Origin-Realm' => OR},
    case Result of
        silent -> discard;
        5063 -> {reply, ['AAA' | Base#{'Experimental-Result' => [#{'Vendor-Id' => 10415,
                                                                   'Experimental-Result-Code' => 5063}]}]};
        R -> {reply, ['AAA' | Base#{'Result-Code' => [R]}]}
    end;
handle_request(#diameter_packet{msg = ['STR' | Avps], header = Header, errors = Errors}, _Svc, {_, Caps},
               {Records, Control}) ->
    #diameter_caps{origin_host = {OH, _}, origin_realm = {OR, _}} = Caps,
    Session = maps:get('Session-Id', Avps),
    Mode = maps:get("mode", peer_files:settings(Control), "answering"),
    Result = case {Mode, ets:member(sessions, Session)} of
                 {"silent", _} -> silent;
                 _ when Errors =/= [] -> first_code(Errors);
                 {_, false} -> 5002;
                 _ -> ets:delete(sessions, Session), 2001
             end,
    write(Records, [["command=STR"], ["session=", Session],
                    ["t=", atom_to_list(Header#diameter_header.is_retransmitted)],
                    ["cause=", value(maps:get('Termination-Cause', Avps, none))], ["result=", value(Result)]
                    | errors(Errors)]),
    case Result of
        silent -> discard;
        R -> {reply, ['STA' | #{'Session-Id' => Session, 'Origin-Host' => OH, 'Origin-Realm' => OR,
                                'Result-Code' => [R]}]}
    end;
handle_request(_Packet, _Svc, _Peer, _Args) ->
    {answer_message, 3001}.

%% The diameter application's decoding errors: {Result-Code, #diameter_avp{}} or a bare Result-Code each; a reply to a
%% request with errors gets the first one's Result-Code and a Failed-AVP from the application.
first_code([{Code, _} | _]) -> Code;
first_code([Code | _]) -> Code.

codes(Errors) -> lists:join(",", [integer_to_list(first_code([E])) || E <- Errors]).

errors([]) -> [];
errors(Errors) -> [["errors=", codes(Errors)]].

%% m<i>=number;type;status=..;ul=..;dl=..;codecs=N   f<i>=flow|flow...   u<i>=usage,usage
components([], _) -> [];
components([C | Rest], I) ->
    N = integer_to_list(I),
    Subs = maps:get('Media-Sub-Component', C, []),
    [["m", N, "=", value(maps:get('Media-Component-Number', C, none)), ";",
      media_type(maps:get('Media-Type', C, [])), ";status=", one(maps:get('Flow-Status', C, [])),
      ";ul=", one(maps:get('Max-Requested-Bandwidth-UL', C, [])),
      ";dl=", one(maps:get('Max-Requested-Bandwidth-DL', C, [])),
      ";codecs=", integer_to_list(length(maps:get('Codec-Data', C, [])))],
     ["f", N, "=", lists:join("|", [text([F]) || S <- Subs, F <- maps:get('Flow-Description', S, [])])],
     ["u", N, "=", lists:join(",", [one(maps:get('Flow-Usage', S, [])) || S <- Subs])]]
        ++ components(Rest, I + 1).

media_type([0]) -> "audio";
media_type([1]) -> "video";
media_type([2]) -> "data";
media_type([3]) -> "application";
media_type([4]) -> "control";
media_type([5]) -> "text";
media_type([6]) -> "message";
media_type([_]) -> "other";
media_type([]) -> "none".

one([V]) -> value(V);
one([]) -> "none".

numbers([]) -> "none";
numbers(L) -> lists:join(",", [integer_to_list(V) || V <- L]).

user([#{'Subscription-Id-Data' := D} | _]) -> text([D]);
user([]) -> "none".

framed([B]) when is_binary(B) -> framed([binary_to_list(B)]);
framed([[A, B, C, D]]) -> inet:ntoa({A, B, C, D});
framed(_) -> "none".

text([]) -> "none";
text([B]) when is_binary(B) -> binary_to_list(B);
text([S]) -> S.

write(Records, Fields) ->
    peer_files:write(Records, [lists:join("\t", Fields), "\n"]).

value(none) -> "none";
value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_atom(V) -> atom_to_list(V);
value(V) -> V.
