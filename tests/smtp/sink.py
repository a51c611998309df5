# tests/smtp/sink.py: a real SMTP server on loopback for the invitation
# tests, with Debian's python3-aiosmtpd:
#
#   SMTP_SINK_DIR=/tmp/x PYTHONPATH=tests/smtp \
#     python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c sink.Sink
#
# Each accepted mail is written to SMTP_SINK_DIR as NNNN.json (envelope,
# headers, the decoded text body) beside NNNN.eml (the raw bytes). While
# the file SMTP_SINK_DIR/REFUSE exists, every mail is refused with 550;
# with SMTP_SINK_DIE_AFTER=N the server accepts N mails, then exits when
# the next one's data arrives (a relay that disappears mid-run).
import email
import email.policy
import json
import os


class Sink:
    def __init__(self):
        self.dir = os.environ['SMTP_SINK_DIR']
        self.die_after = int(os.environ.get('SMTP_SINK_DIE_AFTER', '0'))
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.die_after and self.count >= self.die_after:
            os._exit(0)
        if os.path.exists(os.path.join(self.dir, 'REFUSE')):
            return '550 5.7.1 refused by the test relay'
        msg = email.message_from_bytes(envelope.content,
                                       policy=email.policy.default)
        body = msg.get_body(preferencelist=('plain',))
        n = len([f for f in os.listdir(self.dir) if f.endswith('.json')]) + 1
        base = os.path.join(self.dir, '%04d' % n)
        with open(base + '.eml', 'wb') as f:
            f.write(envelope.content)
        with open(base + '.tmp', 'w', encoding='utf-8') as f:
            json.dump({
                'mail_from': envelope.mail_from,
                'rcpt_tos': envelope.rcpt_tos,
                'headers': {k: str(v) for k, v in msg.items()},
                'subject': str(msg['Subject']),
                'body': body.get_content() if body else '',
            }, f, ensure_ascii=False)
        os.rename(base + '.tmp', base + '.json')
        self.count += 1
        return '250 2.0.0 stored'
