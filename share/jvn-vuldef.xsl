<?xml version="1.0" encoding="UTF-8"?>
<!--
  jvn-vuldef.xsl - JVN iPedia VULDEF 3.x (namespace http://jvn.jp/vuldef/,
  as MyJVN getVulnDetailInfo and the JVN iPedia detail downloads give it)
  to vf's known-vulnerability list (vf-case(5), "Known vulnerabilities"):
  one line per Vulinfo/VulinfoData/Affected/AffectedItem,
    VulinfoID TAB ProductName TAB Name TAB versions TAB CWE TAB -
  Used by vf-feed-jvn (xsltproc); vf-feed(1) says what is made of what.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:v="http://jvn.jp/vuldef/"
    xmlns:status="http://jvndb.jvn.jp/myjvn/Status">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:strip-space elements="*"/>

<xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
<xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
<!-- U+3000 IDEOGRAPHIC SPACE counts as white space in Japanese text. -->
<xsl:variable name="wide" select="'&#x3000;'"/>
<!-- White space and the punctuation of ASCII and Japanese text, none of it
     a letter or a digit. -->
<xsl:variable name="punct" select="concat(' &#9;&#10;&#13;&#x3000;!&quot;#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~', &quot;'&quot;, '・、。，．（）「」『』【】〔〕［］｛｝〈〉《》ー－―〜～：；！？＆＊＋＝／＼｜＿')"/>

<xsl:template match="/">
  <xsl:variable name="doc" select="v:VULDEF-Document"/>
  <!-- getVulnOverviewList answers (JVNRSS, RSS 1.0) list entries without
       their products: say where the details are. -->
  <xsl:if test="local-name(*) = 'RDF'">
    <xsl:message terminate="yes">a JVNRSS overview (rdf:RDF), not VULDEF: fetch the entries it lists with MyJVN getVulnDetailInfo</xsl:message>
  </xsl:if>
  <xsl:if test="not($doc)">
    <xsl:message terminate="yes">not a VULDEF document: the root element is &lt;<xsl:value-of select="name(*)"/>&gt; in namespace "<xsl:value-of select="namespace-uri(*)"/>", not &lt;VULDEF-Document&gt; in "http://jvn.jp/vuldef/"</xsl:message>
  </xsl:if>
  <!-- A MyJVN answer that is an error (retCd 1) is not an empty list. -->
  <xsl:for-each select="$doc/status:Status[@retCd = '1']">
    <xsl:message terminate="yes">MyJVN error <xsl:value-of select="@errCd"/>: <xsl:value-of select="@errMsg"/></xsl:message>
  </xsl:for-each>
  <xsl:apply-templates select="$doc/v:Vulinfo"/>
</xsl:template>

<!-- One column: white space runs (TAB, newline) become one space, so an
     entry stays one line of six columns; empty is "-". -->
<xsl:template name="col">
  <xsl:param name="s"/>
  <xsl:variable name="n" select="normalize-space(translate($s, $wide, ' '))"/>
  <xsl:choose>
    <xsl:when test="$n = ''">-</xsl:when>
    <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="v:Vulinfo">
  <xsl:variable name="id">
    <xsl:call-template name="col">
      <xsl:with-param name="s" select="translate(normalize-space(v:VulinfoID), ' ', '_')"/>
    </xsl:call-template>
  </xsl:variable>
  <!-- The first RelatedItem of type cwe that is CWE-N (N from 1, at most
       8 digits, as vf-validate reads it); CWE-Other and CWE-noinfo say
       nothing and give "-". -->
  <xsl:variable name="cwes" select="v:VulinfoData/v:Related/v:RelatedItem[@type = 'cwe']/v:VulinfoID[starts-with(normalize-space(.), 'CWE-') and string-length(normalize-space(.)) &gt; 4 and string-length(normalize-space(.)) &lt;= 12 and substring(normalize-space(.), 5, 1) != '0' and translate(substring(normalize-space(.), 5), '0123456789', '') = '']"/>
  <xsl:variable name="cwe">
    <xsl:call-template name="col">
      <xsl:with-param name="s" select="$cwes[1]"/>
    </xsl:call-template>
  </xsl:variable>
  <!-- vf-validate refuses an entry with neither a product nor a URL, or
       with a product without a letter or a digit: an item whose
       ProductName is only blanks and punctuation gives no line, nor does
       a Vulinfo without an identifier. -->
  <xsl:variable name="items" select="v:VulinfoData/v:Affected/v:AffectedItem[translate(v:ProductName, $punct, '') != ''][$id != '-']"/>
  <xsl:for-each select="$items">
    <xsl:value-of select="$id"/>
    <xsl:text>&#9;</xsl:text>
    <xsl:call-template name="col"><xsl:with-param name="s" select="v:ProductName"/></xsl:call-template>
    <xsl:text>&#9;</xsl:text>
    <xsl:call-template name="col"><xsl:with-param name="s" select="v:Name"/></xsl:call-template>
    <xsl:text>&#9;</xsl:text>
    <xsl:variable name="vs">
      <xsl:for-each select="v:VersionNumber[normalize-space(translate(., $wide, ' ')) != '']">
        <xsl:if test="position() &gt; 1">;</xsl:if>
        <xsl:call-template name="version">
          <xsl:with-param name="s" select="normalize-space(translate(translate(., ';', ','), $wide, ' '))"/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="col"><xsl:with-param name="s" select="$vs"/></xsl:call-template>
    <xsl:text>&#9;</xsl:text>
    <xsl:value-of select="$cwe"/>
    <xsl:text>&#9;-&#10;</xsl:text>
  </xsl:for-each>
</xsl:template>

<!-- Does $s end with $t? -->
<xsl:template name="ends">
  <xsl:param name="s"/>
  <xsl:param name="t"/>
  <xsl:if test="string-length($s) &gt; string-length($t) and substring($s, string-length($s) - string-length($t) + 1) = $t">1</xsl:if>
</xsl:template>

<!-- $s without a trailing "のバージョン" and the like, which add nothing. -->
<xsl:template name="unnoise">
  <xsl:param name="s"/>
  <xsl:variable name="l" select="translate($s, $upper, $lower)"/>
  <xsl:variable name="n1"><xsl:call-template name="ends"><xsl:with-param name="s" select="$s"/><xsl:with-param name="t" select="'の全てのバージョン'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="n2"><xsl:call-template name="ends"><xsl:with-param name="s" select="$s"/><xsl:with-param name="t" select="'のすべてのバージョン'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="n3"><xsl:call-template name="ends"><xsl:with-param name="s" select="$s"/><xsl:with-param name="t" select="'のバージョン'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="n4"><xsl:call-template name="ends"><xsl:with-param name="s" select="$l"/><xsl:with-param name="t" select="' versions'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="n5"><xsl:call-template name="ends"><xsl:with-param name="s" select="$l"/><xsl:with-param name="t" select="' version'"/></xsl:call-template></xsl:variable>
  <xsl:choose>
    <xsl:when test="$n1 = '1'"><xsl:value-of select="normalize-space(substring($s, 1, string-length($s) - 9))"/></xsl:when>
    <xsl:when test="$n2 = '1'"><xsl:value-of select="normalize-space(substring($s, 1, string-length($s) - 10))"/></xsl:when>
    <xsl:when test="$n3 = '1'"><xsl:value-of select="normalize-space(substring($s, 1, string-length($s) - 6))"/></xsl:when>
    <xsl:when test="$n4 = '1'"><xsl:value-of select="normalize-space(substring($s, 1, string-length($s) - 9))"/></xsl:when>
    <xsl:when test="$n5 = '1'"><xsl:value-of select="normalize-space(substring($s, 1, string-length($s) - 8))"/></xsl:when>
    <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- One VersionNumber: the common Japanese and English wordings of a
     bound become a constraint when what they bound is one version token
     ("1.0 およびそれ以前" "<=1.0", "1.2.3 より前" "<1.2.3", "2.0 以降"
     ">=2.0", "prior to 3.1" "<3.1"), "全てのバージョン" and "all versions"
     are "*"; anything else is kept as written,
     and vf-validate compares it as text. -->
<xsl:template name="version">
  <xsl:param name="s"/>
  <xsl:variable name="t"><xsl:call-template name="unnoise"><xsl:with-param name="s" select="$s"/></xsl:call-template></xsl:variable>
  <xsl:variable name="l" select="translate($t, $upper, $lower)"/>
  <xsl:variable name="len" select="string-length($t)"/>
  <!-- Suffix wordings, longest first: "以前" alone would leave
       "1.0 およびそれ" for "1.0 およびそれ以前". -->
  <xsl:variable name="suffix">
    <xsl:choose>
      <xsl:when test="substring($t, $len - 6) = 'およびそれ以前'">7 &lt;=</xsl:when>
      <xsl:when test="substring($t, $len - 5) = '及びそれ以前'">6 &lt;=</xsl:when>
      <xsl:when test="substring($t, $len - 6) = 'およびそれ以降'">7 &gt;=</xsl:when>
      <xsl:when test="substring($t, $len - 5) = '及びそれ以降'">6 &gt;=</xsl:when>
      <xsl:when test="substring($t, $len - 1) = '以前'">2 &lt;=</xsl:when>
      <xsl:when test="substring($t, $len - 1) = '以降'">2 &gt;=</xsl:when>
      <xsl:when test="substring($t, $len - 2) = 'より前'">3 &lt;</xsl:when>
      <xsl:when test="substring($t, $len - 2) = 'より後'">3 &gt;</xsl:when>
      <xsl:when test="substring($t, $len - 1) = '未満'">2 &lt;</xsl:when>
      <xsl:when test="substring($l, $len - 11) = ' and earlier'">12 &lt;=</xsl:when>
      <xsl:when test="substring($l, $len - 10) = ' or earlier'">11 &lt;=</xsl:when>
      <xsl:when test="substring($l, $len - 9) = ' and prior'">10 &lt;=</xsl:when>
      <xsl:when test="substring($l, $len - 9) = ' and later'">10 &gt;=</xsl:when>
      <xsl:when test="substring($l, $len - 8) = ' or later'">9 &gt;=</xsl:when>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="prefix">
    <xsl:choose>
      <xsl:when test="starts-with($l, 'versions prior to ')">18 &lt;</xsl:when>
      <xsl:when test="starts-with($l, 'prior to ')">9 &lt;</xsl:when>
      <xsl:when test="starts-with($l, 'versions before ')">16 &lt;</xsl:when>
      <xsl:when test="starts-with($l, 'before ')">7 &lt;</xsl:when>
      <xsl:when test="starts-with($l, 'earlier than ')">13 &lt;</xsl:when>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="ls" select="translate($s, $upper, $lower)"/>
  <xsl:choose>
    <xsl:when test="$s = '全てのバージョン' or $s = 'すべてのバージョン' or $s = '全バージョン' or $ls = 'all versions'">*</xsl:when>
    <xsl:when test="$suffix != '' and $len &gt; substring-before($suffix, ' ')">
      <xsl:call-template name="bound">
        <xsl:with-param name="op" select="substring-after($suffix, ' ')"/>
        <xsl:with-param name="x" select="substring($t, 1, $len - substring-before($suffix, ' '))"/>
        <xsl:with-param name="s" select="$s"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:when test="$prefix != ''">
      <xsl:call-template name="bound">
        <xsl:with-param name="op" select="substring-after($prefix, ' ')"/>
        <xsl:with-param name="x" select="substring($t, substring-before($prefix, ' ') + 1)"/>
        <xsl:with-param name="s" select="$s"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- $op and the version $x when $x is one token (a "v", "ver.", "Ver",
     "version" or "バージョン" before a digit dropped), else $s as written. -->
<xsl:template name="bound">
  <xsl:param name="op"/>
  <xsl:param name="x"/>
  <xsl:param name="s"/>
  <xsl:variable name="n" select="normalize-space($x)"/>
  <xsl:variable name="l" select="translate($n, $upper, $lower)"/>
  <xsl:variable name="bare">
    <xsl:choose>
      <xsl:when test="starts-with($n, 'バージョン')"><xsl:value-of select="normalize-space(substring($n, 6))"/></xsl:when>
      <xsl:when test="starts-with($l, 'version')"><xsl:value-of select="normalize-space(substring($n, 8))"/></xsl:when>
      <xsl:when test="starts-with($l, 'ver.')"><xsl:value-of select="normalize-space(substring($n, 5))"/></xsl:when>
      <xsl:when test="starts-with($l, 'ver')"><xsl:value-of select="normalize-space(substring($n, 4))"/></xsl:when>
      <xsl:when test="starts-with($l, 'v')"><xsl:value-of select="substring($n, 2)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="v">
    <xsl:choose>
      <xsl:when test="$bare != $n and translate(substring($bare, 1, 1), '0123456789', '') = ''"><xsl:value-of select="$bare"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:choose>
    <xsl:when test="$v != '' and not(contains($v, ' '))">
      <xsl:value-of select="concat($op, $v)"/>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

</xsl:stylesheet>
