# templates/docx/generate.py: writes document.mustache and _img.mustache (the Word
# document's body: one long line of WordprocessingML). Edit this, then run
# `python3 templates/docx/generate.py` from the repository root and commit both.
RTL_P = '{{#rtl}}<w:bidi/>{{/rtl}}'
RTL_R = '<w:rPr>{{#rtl}}<w:rtl/>{{/rtl}}</w:rPr>'
def run(text, bold=False):
    b = '<w:b/><w:bCs/>' if bold else ''
    return f'<w:r><w:rPr>{b}{{{{#rtl}}}}<w:rtl/>{{{{/rtl}}}}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
def P(text, style=None, brk=False, keep=False):
    st = f'<w:pStyle w:val="{style}"/>' if style else ''
    pb = '<w:pageBreakBefore/>' if brk else ''
    kn = '<w:keepNext/>' if keep else ''
    return f'<w:p><w:pPr>{st}{kn}{pb}{RTL_P}</w:pPr>{run(text)}</w:p>'
def H1(text, brk=False): return P(text, 'Heading1', brk)
def H2(text): return P(text, 'Heading2')
def cell(text, bold=False, num=False):
    jc = '<w:jc w:val="end"/>' if num else ''
    return f'<w:tc><w:p><w:pPr>{RTL_P}{jc}</w:pPr>{run(text, bold)}</w:p></w:tc>'
def table(headers, section, cells, caption=None, widths=None):
    n = len(headers)
    widths = widths or [9638 // n] * n
    grid = ''.join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    cap = P(caption, 'Caption') if caption else ''
    head = '<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>' + ''.join(cell(h, True, i > 0 and h.startswith('!') ) for i, h in enumerate(headers)) + '</w:tr>'
    head = head.replace('!', '')
    body = f'{{{{#{section}}}}}<w:tr><w:trPr><w:cantSplit/></w:trPr>' + ''.join(cell(c, i == 0, i > 0 and num) for i, (c, num) in enumerate(cells)) + f'</w:tr>{{{{/{section}}}}}'
    return (cap + '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
            '{{#rtl}}<w:bidiVisual/>{{/rtl}}<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>' + P(''))
def IMG(key): return f'{{{{#{key}}}}}{{{{> docx/_img}}}}{{{{/{key}}}}}'
def note(text): return P(text, 'Note')

out = []
o = out.append
o('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
o('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>')
# cover
o(P('{{t.report_kind}}', 'Subtitle'))
o(P('{{event_title}}', 'Title'))
o('{{#cover}}')
o('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>{{#rtl}}<w:bidiVisual/>{{/rtl}}</w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6638"/></w:tblGrid>')
for lab, val, cond in [('{{t.report_host}}', '{{host}}', 'has_host'), ('{{t.report_dates}}', '{{date_start}} – {{date_end}}', None),
                       ('{{t.report_place}}', '{{place}}', None), ('{{t.report_generated_at}}', '{{generated_at}}', None),
                       ('{{t.report_data_as_of}}', '{{data_as_of}}', None)]:
    row = '<w:tr>' + cell(lab, True) + cell(val) + '</w:tr>'
    o(f'{{{{#{cond}}}}}{row}{{{{/{cond}}}}}' if cond else row)
o('</w:tbl>{{/cover}}')
o('{{#filtered}}' + P('{{t.dash_filtered}}') + '{{/filtered}}')
# table of contents (Word fills it: updateFields)
o('<w:p><w:pPr>' + RTL_P + '</w:pPr><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run('{{t.report_menu}}') + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
# executive summary
o(H1('{{t.report_exec_title}}', True))
o(table(['{{t.report_keyfigs_caption}}', '!'], 'keyfigs', [('{{label}}', False), ('{{value}}', True)], None, [6638, 3000]))
o('{{#exec}}{{#paras}}' + P('{{text}}') + '{{/paras}}')
o('{{#exec_knowledge}}' + P('{{exec_knowledge}}') + '{{/exec_knowledge}}{{#exec_quiz}}' + P('{{exec_quiz}}') + '{{/exec_quiz}}')
o('{{#has_agree}}' + table(['{{t.dash_col_item}}', '!{{t.dash_col_agree}}', '!{{t.dash_ci95}}', '!{{t.mean}}', '!n'], 'agree',
   [('{{label}}', False), ('{{pct}}', True), ('{{ci}}', True), ('{{mean}}', True), ('{{n}}', True)], '{{t.report_exec_agree}}', [4638, 1400, 1600, 1000, 1000]) + '{{/has_agree}}')
o('{{#exec_nps}}' + P('{{exec_nps}}') + '{{/exec_nps}}')
o('{{#has_actions}}' + H2('{{t.report_exec_actions}}') + '{{#actions}}' + P('{{rank}}. {{label}} ({{t.dash_borda}} {{borda}} · {{t.dash_top3}} {{top3}})', 'ListNumber') + '{{/actions}}{{/has_actions}}')
o('{{/exec}}')
# method
o(H1('{{t.dash_method_title}}'))
o('{{#method}}{{#paras}}' + P('{{text}}') + '{{/paras}}{{/method}}')
# participants
o(H1('{{t.report_participants_title}}', True))
o('{{#counts}}' + '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>{{#rtl}}<w:bidiVisual/>{{/rtl}}</w:tblPr><w:tblGrid><w:gridCol w:w="7638"/><w:gridCol w:w="2000"/></w:tblGrid>')
for lab, val, cond in [('{{t.responses_pre}}', '{{pre}}', None), ('{{t.responses_post}}', '{{post}}', None), ('{{t.responses_paired}}', '{{paired}}', None),
                       ('{{t.dash_attendance}}', '{{attendance}}', 'has_attendance'), ('{{t.dash_rate_pre_att}}', '{{pre_att_rate}}', 'has_attendance'),
                       ('{{t.dash_rate_post_att}}', '{{post_att_rate}}', 'has_attendance'), ('{{t.dash_rate_paired}}', '{{paired_rate}}', None)]:
    row = '<w:tr>' + cell(lab, True) + cell(val, False, True) + '</w:tr>'
    o(f'{{{{#{cond}}}}}{row}{{{{/{cond}}}}}' if cond else row)
o('</w:tbl>' + P('') + '{{/counts}}')
o('{{#restricted}}' + P('{{t.dash_restricted}}') + '{{/restricted}}')
o('{{#has_participants}}' + note('{{t.report_participants_note}}') + '{{/has_participants}}')
o('{{#participants}}' + H2('{{label}} (n = {{n}})') + IMG('svg_img') +
  table(['{{t.report_col_option}}', '!{{t.report_col_count}}', '!{{t.report_col_share}}'], 'rows', [('{{label}}', False), ('{{count}}', True), ('{{pct}}', True)], None, [5638, 2000, 2000]) + '{{/participants}}')
# results by sex (issue 24): the whole event's report only, groups the summary shows
o('{{#by_sex}}' + H2('{{t.report_by_sex_title}}') + note('{{t.report_by_sex_note}}') +
  table(['{{t.report_by_sex_group}}', '!{{t.dash_col_n_pairs}}', '!{{t.report_by_sex_before}}', '!{{t.report_by_sex_after}}', '!{{t.report_by_sex_change}}', '!{{t.report_by_sex_quiz}}', '!NPS'], 'rows',
   [('{{label}}', False), ('{{paired}}', True), ('{{before}}', True), ('{{after}}', True), ('{{change}}', True), ('{{quiz_gain}}', True), ('{{nps}}', True)],
   None, [2138, 1000, 1400, 1400, 1300, 1200, 1200]) + '{{/by_sex}}')
o('{{^restricted}}')
# results per objective
o('{{#knowledge}}' + H1('{{t.report_objectives_title}}', True) + note('{{t.report_objectives_note}}') + '{{#small}}' + note('{{t.dash_small_sample}}') + '{{/small}}')
o('{{#objectives}}' + H2('{{label}}') + table(['{{t.dash_col_item}}', '!{{t.dash_col_n_pairs}}', '!{{t.dash_col_pre_mean}}', '!{{t.dash_col_post_mean}}', '!{{t.dash_col_change}}', '!{{t.dash_col_p_holm}}', '!{{t.dash_col_r}}', '{{t.dash_col_who_changed}}'], 'rows',
   [('{{label}}', False), ('{{n}}', True), ('{{pre_mean}}', True), ('{{post_mean}}', True), ('{{mean_diff}} {{diff_ci}}', True), ('{{p_holm}}', True), ('{{r}} ({{effect}})', True), ('{{change_words}}', False)],
   '{{t.dash_tests_caption}}', [2400, 700, 800, 800, 1500, 900, 1038, 1500]) + '{{/objectives}}')
o(IMG('likert_svg_img') + IMG('dumbbell_svg_img'))
o(note('{{t.dash_test_note}}') + note('{{t.dash_change_note}}') + note('{{t.dash_effect_note}}') + '{{/knowledge}}')
o('{{#retro}}' + H2('{{t.dash_retro_title}}') + note('{{t.dash_retro_note}}') + IMG('svg_img') +
  table(['{{t.dash_col_item}}', '!{{t.dash_col_n_pairs}}', '!{{t.dash_retro_before}}', '!{{t.dash_col_post_mean}}', '!{{t.dash_col_p_raw}}', '!{{t.dash_col_shift}}', '!{{t.dash_col_shift_p}}'], 'rows',
   [('{{label}}', False), ('{{n}}', True), ('{{retro_mean}}', True), ('{{post_mean}}', True), ('{{p_value}}', True), ('{{shift}} {{shift_ci}}', True), ('{{shift_p}}', True)], '{{t.dash_retro_caption}}',
   [2838, 900, 1200, 1000, 1000, 1700, 1000]) + note('{{t.dash_shift_note}}') + '{{/retro}}')
# quiz
o('{{#quiz}}' + H1('{{t.dash_quiz_title}}') + '{{#small}}' + note('{{t.dash_small_sample}}') + '{{/small}}' +
  P('{{t.dash_col_n_pairs}}: {{n}} · {{t.dash_quiz_score}} ({{t.before}}): {{pre_score}} / {{max_score}} · {{t.dash_quiz_score}} ({{t.after}}): {{post_score}} / {{max_score}} · {{t.dash_quiz_gain}}: {{gain}}') +
  '{{#change_words}}' + P('{{t.dash_quiz_total}}: {{total_diff}} {{total_ci}} · {{t.dash_quiz_total_p}}: {{total_p}} · {{change_words}}') + '{{/change_words}}' + IMG('svg_img') +
  table(['{{t.dash_col_item}}', '!{{t.dash_col_pre_correct}}', '!{{t.dash_col_post_correct}}', '!{{t.dash_col_mcnemar}}', '!{{t.dash_col_p_holm}}'], 'rows',
   [('{{label}}', False), ('{{pre_pct}} ({{pre_correct}})', True), ('{{post_pct}} ({{post_correct}})', True), ('{{mcnemar_p}}', True), ('{{mcnemar_p_holm}}', True)], '{{t.dash_quiz_caption}}', [4238, 1400, 1400, 1300, 1300]) +
  note('{{t.dash_quiz_note}}') + '{{/quiz}}')
# evaluation
o('{{#evaluation}}' + H1('{{t.dash_eval_title}}', True) + IMG('svg_img') +
  table(['{{t.dash_col_item}}', '!n', '!{{t.dash_col_agree}}', '!{{t.mean}}', '!{{t.dash_ci95}}'], 'rows',
   [('{{label}}', False), ('{{n}}', True), ('{{agree_pct}} {{agree_ci}} · {{agree_words}}', True), ('{{mean}}', True), ('[{{ci_lo}}; {{ci_hi}}]', True)], '{{t.dash_eval_caption}}', [3638, 600, 2600, 1000, 1800]) +
  note('{{t.dash_agree_note}}') + note('{{t.dash_ci_note}}') + '{{/evaluation}}')
o('{{#nps}}' + H2('{{t.dash_nps_title}}') + P('{{label}}') + IMG('svg_img') +
  P('NPS {{score}} {{ci}} · n = {{n}} · {{t.dash_promoters}} {{promoters}} · {{t.dash_passives}} {{passives}} · {{t.dash_detractors}} {{detractors}}') + note('{{t.dash_nps_note}} {{t.dash_nps_ci_note}}') + '{{/nps}}')
# ranking
o('{{#has_ranking}}' + H1('{{t.dash_ranking_title}}', True) + '{{#ranking}}' + H2('{{label}}') + IMG('svg_img') +
  table(['{{t.dash_col_action}}', '!{{t.dash_borda}}', '!{{t.dash_top3}}', '!{{t.dash_first}}'], 'rows',
   [('{{label}}', False), ('{{borda}}', True), ('{{top3}}', True), ('{{first}}', True)], '{{t.dash_ranking_caption}}', [5238, 1500, 1500, 1400]) +
  '{{/ranking}}' + note('{{t.dash_ranking_note}}') + '{{/has_ranking}}')
o('{{#has_collaboration}}' + H1('{{t.dash_collab_title}}') + '{{#collaboration}}' + H2('{{label}} (n = {{n}})') + IMG('svg_img') + '{{/collaboration}}{{/has_collaboration}}')
# comments
o(H1('{{t.comments}}', True))
o('{{#report_comments_hidden}}' + P('{{t.dash_comments_small}}') + '{{/report_comments_hidden}}{{^report_comments_hidden}}')
o('{{#report_comments_filtered}}' + P('{{t.report_comments_filtered}}') + '{{/report_comments_filtered}}{{^report_comments_filtered}}')
o(note('{{report_comments_cap}}'))
o('{{#report_comments}}' + H2('{{label}}{{#other}} ({{t.other_specify}}){{/other}} ({{total}} {{t.report_comments_total}})') +
  '{{#entries}}' + P('{{text}}') + note('{{lang_name}}{{#many}} · ×{{count}}{{/many}}') + '{{/entries}}' +
  '{{#capped}}' + note('{{t.report_comments_more}}') + '{{/capped}}{{/report_comments}}')
o('{{^report_comments}}' + P('{{t.dash_comments_none}}') + '{{/report_comments}}')
o('{{/report_comments_filtered}}{{/report_comments_hidden}}')
o('{{/restricted}}')
# limitations
o(H1('{{t.report_limits_title}}'))
o('{{#limits}}' + P('– {{text}}') + '{{/limits}}')
# annex
o(H1('{{t.report_annex_title}}', True))
o(table(['{{t.report_col_instrument}}', '{{t.report_col_key}}', '{{t.report_col_type}}', '{{t.report_col_label}}', '{{t.report_col_options}}'], 'codebook',
  [('{{instrument}}', False), ('{{item}}', False), ('{{type}} ({{role}})', False), ('{{label}}', False), ('{{options}}', False)], '{{t.report_codebook_caption}}', [900, 1500, 1300, 2938, 3000]))
o('<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>'
  '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>{{#rtl}}<w:bidi/>{{/rtl}}</w:sectPr></w:body></w:document>\n')
open('templates/docx/document.mustache', 'w').write(''.join(out))
img = ('<w:p><w:pPr><w:jc w:val="center"/><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
       '<wp:extent cx="{{cx}}" cy="{{cy}}"/><wp:docPr id="{{id}}" name="chart-{{name}}" descr="{{title}}"/>'
       '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
       '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
       '<pic:nvPicPr><pic:cNvPr id="{{id}}" name="{{name}}.png" descr="{{title}}"/><pic:cNvPicPr/></pic:nvPicPr>'
       '<pic:blipFill><a:blip r:embed="{{rid}}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
       '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{{cx}}" cy="{{cy}}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
       '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
       '<w:p><w:pPr><w:pStyle w:val="Caption"/><w:jc w:val="center"/>{{#rtl}}<w:bidi/>{{/rtl}}</w:pPr><w:r><w:rPr>{{#rtl}}<w:rtl/>{{/rtl}}</w:rPr><w:t xml:space="preserve">{{title}}</w:t></w:r></w:p>')
open('templates/docx/_img.mustache', 'w').write(img)
