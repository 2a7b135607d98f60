#!/usr/bin/env python3
# Generates the out-of-dialog UAC scenarios (SIPp 3.6 cannot match "any final response" nor compare a
# response code with a variable in one place, so the same check block follows every listed code):
#   python3 generate-uac.py MESSAGE message-uac.xml
#   python3 generate-uac.py OPTIONS options-uac.xml
# The same files are used in deployment/ims-core/test-scenarios/ and arquillian-tests/src/test/resources/sipp/.
import sys

method, out = sys.argv[1], sys.argv[2]
codes = [202,400,401,403,404,405,407,408,410,413,415,416,420,423,429,430,433,439,480,481,482,483,484,485,486,487,488,489,491,500,501,502,503,504,505,513,580,600,603,604,606,607,608]
body = method == "MESSAGE"
hdrs = "      Content-Type: text/plain\n      Content-Length: [len]\n\n      [text]\n" if body else "      Accept: application/sdp\n      Content-Length: 0\n\n"
keys = "-key ruri SIP-URI (Request-URI and To), -key from SIP-URI (From)" + (", -key text BODY (text/plain)" if body else "")
s = f'''<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!--
  One out-of-dialog {method} per call, sent to the positional remote address (or -rsa HOST:PORT),
  e.g. the IMS core at 127.0.0.1:5070.
  Keys (all required): {keys}.
  Global variable (required): -set expect CODE fails the call unless the final response has that code;
  -set expect any accepts any listed final response.
  Every final response is logged as "FINAL <code> <Call-ID>" (-trace_logs -log_file FILE). A final response
  whose code is not listed below fails the call as unexpected (see -trace_err).
  Generated: the same check block follows every final response code.
-->
<scenario name="{method} UAC">
  <Global variables="expect"/>

  <send retrans="500">
    <![CDATA[

      {method} [ruri] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <[from]>;tag=[pid]SIPpTag[call_number]
      To: <[ruri]>
      Call-ID: [call_id]
      CSeq: 1 {method}
{hdrs}    ]]>
  </send>

  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
'''
act = '''    <action>
      <ereg regexp="^SIP/2\\.0 ([0-9][0-9][0-9])" search_in="msg" assign_to="status,code"/>
      <log message="FINAL [$code] [call_id]"/>
      <strcmp assign_to="differs" variable="code" variable2="expect"/>
      <strcmp assign_to="notany" variable="expect" value="any"/>
      <multiply assign_to="differs" variable="notany"/>
      <test assign_to="ok" variable="differs" compare="equal" value="0" check_it="true"/>
    </action>
'''
for c in codes:
    s += f'  <recv response="{c}" optional="true" next="done">\n{act}  </recv>\n'
s += f'  <recv response="200">\n{act}  </recv>\n'
s += '''
  <label id="done"/>

  <Reference variables="status,ok"/>
</scenario>
'''
open(out, "w").write(s)
