%% What the three test peers (charging_peer, credit_peer, policy_peer) share: their Diameter dictionary compiled at
%% start, their records file and their control file. Each escript compiles this module when it starts (its
%% load_peer_files/0). Under load a peer takes hundreds of requests a second on the gateway's own cores, so the files
%% cost as little as a test allows: the records file stays open (one write per line instead of an open, a write and a
%% close, about a quarter of the CPU), and the control file is parsed again only when it changed (one stat per request).
-module(peer_files).

-include_lib("kernel/include/file.hrl").

-export([dictionary/2, records/1, write/2, control/1, settings/1]).

%% The dictionary NAME.dia beside the scripts, compiled into DIR (diameter_make is the same code as diameterc); the
%% codec module's name.
dictionary(Dia, Dir) ->
    Source = filename:join(filename:dirname(escript:script_name()), Dia),
    Out = filename:join(Dir, "erlang-dict-" ++ os:getpid()),
    ok = filelib:ensure_dir(filename:join(Out, "x")),
    ok = diameter_make:codec(Source, [{outdir, Out}]),
    Erl = filename:join(Out, filename:rootname(Dia) ++ ".erl"),
    {ok, Module} = compile:file(Erl, [{outdir, Out}, {i, Out}, report]),
    true = code:add_patha(Out),
    {module, Module} = code:load_file(Module),
    Module.

%% The records file, open for appending for as long as the peer runs (an io device: any process may write to it,
%% one line at a time, each written to the file (not synced) before write/2 returns: a test reads it as soon as the
%% peer has answered).
records(Path) ->
    {ok, Io} = file:open(Path, [append, binary]),
    Io.

write(Records, Line) ->
    ok = file:write(Records, Line).

%% A process that keeps the control file's settings: settings/1 asks it. The file is parsed again only when it changed:
%% replaced (another inode: the tests write it by rename) or rewritten in place (another size or modification second).
%% The version read last stays open, so that its inode cannot be reused by the next version while it is cached; its
%% key is taken from the open file, so a version replaced between the stat and the open is keyed as what was read.
control(Path) ->
    spawn_link(fun() -> control_loop(Path, {none, undefined, #{}}) end).

%% The settings now: a map of "key" => "value" ("balance IMPU" => "SECONDS STAMP"); empty when there is no file.
settings(Control) ->
    Ref = make_ref(),
    Control ! {settings, self(), Ref},
    receive {Ref, Settings} -> Settings end.

control_loop(Path, Cached) ->
    receive
        {settings, From, Ref} ->
            Now = current(Path, Cached),
            From ! {Ref, element(3, Now)},
            control_loop(Path, Now)
    end.

current(Path, {Key, File, _} = Cached) ->
    case file:read_file_info(Path, [raw, {time, posix}]) of
        {ok, #file_info{inode = Inode, size = Size, mtime = MTime}} when {Inode, Size, MTime} =:= Key ->
            Cached;
        {ok, #file_info{}} ->
            close(File),
            load(Path);
        _ ->
            close(File),
            {none, undefined, #{}}
    end.

load(Path) ->
    case file:open(Path, [read, raw, binary]) of
        {ok, File} ->
            {ok, #file_info{inode = Inode, size = Size, mtime = MTime}} = file:read_file_info(File, [{time, posix}]),
            case file:read(File, 1 bsl 16) of
                {ok, Bin} -> {{Inode, Size, MTime}, File, parse(Bin)};
                _ -> {{Inode, Size, MTime}, File, #{}}
            end;
        _ ->
            {none, undefined, #{}}
    end.

close(undefined) -> ok;
close(File) -> file:close(File).

%% A line is KEY VALUE...; "balance IMPU SECONDS STAMP" is keyed by "balance IMPU". Blank lines are skipped and a key
%% with no value is "" (an operator editing the demo's file by hand must not stop the peer).
parse(Bin) ->
    maps:from_list([Setting || Line <- string:lexemes(binary_to_list(Bin), "\n"),
                               Setting <- setting(string:lexemes(Line, " "))]).

setting([]) -> [];
setting(["balance", User | Value]) -> [{"balance " ++ User, lists:flatten(lists:join(" ", Value))}];
setting([Key | Value]) -> [{Key, lists:flatten(lists:join(" ", Value))}].
